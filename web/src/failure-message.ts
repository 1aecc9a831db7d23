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
