import { stoppedResponse } from "../../../workers/http.ts";
import type { RunOutcome, StopReason } from "../../../workers/protocol.ts";

/** The outcome of a run that ended without a result of its own, started at `started` (ms). */
export function stoppedOutcome(reason: StopReason, started: number): RunOutcome {
  return {
    response: stoppedResponse(reason === "budget" ? "time budget exceeded" : "stopped by user"),
    logs: [],
    durationMs: performance.now() - started,
    stopped: reason,
  };
}
