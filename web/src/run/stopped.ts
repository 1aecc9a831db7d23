import { platformErrorResponse, stoppedResponse } from "../../../workers/http.ts";
import type { RunOutcome, StopReason } from "../../../workers/runner-protocol.ts";

/** The response and error of a stopped run, the same whichever language it was in. */
export function stoppedVerdict(reason: StopReason): Pick<RunOutcome, "response" | "error"> {
  return {
    // `stoppedResponse` starts the message with "stopped: ", so the reason does not say it again.
    response: stoppedResponse(reason === "budget" ? "time budget exceeded" : "by the user"),
    error: undefined,
  };
}

/** The outcome of a run that ended without a result of its own, started at `started` (ms). */
export function stoppedOutcome(reason: StopReason, started: number): RunOutcome {
  return {
    ...stoppedVerdict(reason),
    logs: [],
    durationMs: performance.now() - started,
    stopped: reason,
  };
}

/** The outcome of a run that fnpad ended with its own error, `status` and `message`. */
export function platformOutcome(status: number, message: string, started: number): RunOutcome {
  return {
    response: platformErrorResponse(status, message),
    logs: [],
    durationMs: performance.now() - started,
  };
}

/**
 * The outcome of a run whose runner stopped answering: its process crashed, which a handler that
 * allocates until it dies brings about (the page lives on: the runner is a frame of its own).
 */
export function runnerGoneOutcome(started: number): RunOutcome {
  return platformOutcome(
    503,
    "the runner stopped answering: the handler most likely ran it out of memory. A fresh runner is starting.",
    started,
  );
}

/** How a run ends whose runner sent an oversized result: fnpad's 502, saying which bound it passed. */
export function oversizedOutcome(what: string, started: number): RunOutcome {
  return platformOutcome(
    502,
    `the runner sent an oversized result (${what}); it was not shown`,
    started,
  );
}

/** How a run ends whose runner came without its sandbox: fnpad's 503, and the handler never ran. */
export function unsandboxedOutcome(started: number): RunOutcome {
  return platformOutcome(
    503,
    "the runner's document came without its sandbox (its Content-Security-Policy header), so fnpad ran nothing in it",
    started,
  );
}

/** How a run ends whose runner navigated its own frame away (its handler took it over): fnpad's 503. */
export function navigatedAwayOutcome(started: number): RunOutcome {
  return platformOutcome(
    503,
    "the runner's document was navigated away (the handler took it over); a fresh runner is starting",
    started,
  );
}
