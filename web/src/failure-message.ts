import { ApiError, UNREACHABLE } from "./api.ts";

/** What the page was doing when an API call failed. */
export type Action = "save" | "fork" | "restore" | "load" | "freeze";

const DOING: Record<Action, string> = {
  save: "Not saved",
  fork: "Not forked",
  restore: "Not restored",
  load: "Couldn't open the snippet",
  freeze: "Not frozen",
};

/**
 * What to tell the user about a failed API call: what happened, that their code is still here
 * (it is kept in this browser on every edit), and what to do next.
 */
export function failureMessage(error: unknown, action: Action): string {
  const kept = action === "load" ? "" : " Your code is kept in this browser.";
  if (!(error instanceof ApiError)) return `${DOING[action]}: ${String(error)}.${kept}`;
  if (error.status === UNREACHABLE) {
    return action === "load"
      ? "Couldn't reach the server to open this snippet. Check your connection and reload."
      : `Couldn't reach the server — your changes are kept in this browser; try ${action === "save" ? "Save again" : "again"} when it is back.`;
  }
  const what = `${DOING[action]}: ${error.message}`;
  switch (error.status) {
    case 401:
    case 403:
      return `${what}.${kept} This browser can't change this snippet: Fork it to save your own copy.`;
    case 404:
    case 410:
      return action === "load"
        ? `${what}. Start a new snippet with New.`
        : `${what}.${kept} Use New, paste it, and save it as a new snippet.`;
    case 413:
      return `${what}.${kept} Make the code smaller, then save again.`;
    case 422:
      return `${what}.${kept} Fix it, then save again.`;
    default:
      return error.status >= 500
        ? `The server failed (HTTP ${error.status}): ${error.message}.${kept} Try again in a moment.`
        : `${what} (HTTP ${error.status}).${kept}`;
  }
}

/** Whether a failure is "no answer at all": the API's unreachable error, or a fetch that failed. */
function unreachable(error: unknown): boolean {
  return (
    (error instanceof ApiError && error.status === UNREACHABLE) ||
    // fetch's own network failure ("Failed to fetch", "NetworkError when attempting to fetch…").
    (error instanceof TypeError && /fetch/i.test(error.message))
  );
}

/** What to tell the user when "Run at edge" failed: the browser's run still works offline. */
export function edgeFailureMessage(error: unknown): string {
  if (unreachable(error)) {
    return "Couldn't reach the server to run at the edge. Check your connection and try again; Run still works in this browser.";
  }
  return `Run at edge failed: ${error instanceof ApiError ? error.message : String(error)}`;
}

/** What to tell the owner when their variables could not be read (`load`) or changed. */
export function envFailureMessage(error: unknown, action: "load" | "change"): string {
  if (unreachable(error)) {
    return action === "load"
      ? "Couldn't reach the server to read the variables. Check your connection and reload."
      : "Couldn't reach the server: the variable was not changed. Try again when it is back.";
  }
  return error instanceof Error ? error.message : String(error);
}
