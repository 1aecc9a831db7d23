/**
 * Timing of local runner processes, shared by the app (`run.ts`) and the supervisor
 * (`tools/dev.ts`). No imports: Node loads this file as it is.
 */

/**
 * Wall-clock deadline of one run in a runner process. Past it the app answers 503 at once; the
 * handler may still be spinning in the runner, which the supervisor then replaces.
 */
export const RUN_DEADLINE_MS = 10_000;

/**
 * A runner that has not answered its health check for this long is stuck (every run in it has
 * already had its 503): the supervisor replaces it.
 */
export const STUCK_AFTER_MS = RUN_DEADLINE_MS;

/** Header carrying the token that the supervisor hands to the app and its runners. */
export const RUNNER_TOKEN_HEADER = "x-fnpad-runner-token";

/**
 * Header of every answer the runner itself makes to `/run`: `ran`, `isolate failed` (502) or
 * `draining` (503, nothing ran). Any other answer comes from the runner's broken process.
 */
export const RUNNER_OUTCOME_HEADER = "x-fnpad-runner-outcome";
