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

/**
 * The app sends calls to a runner it heard from within this long without asking its health
 * first (`pool.ts`); after a longer silence it asks, and a draining or stopped runner gets none.
 */
export const QUIET_MS = 2_000;

/**
 * How long a drained runner stays up, refusing runs as draining, before the supervisor stops it:
 * longer than `QUIET_MS`, so that by then the app asks its health before using it and no call
 * is sent to a runner that is gone (it would be answered with a 503, not run elsewhere).
 */
export const DRAINED_LINGER_MS = QUIET_MS + 1_000;

/** Header carrying the token that the supervisor hands to the app and its runners. */
export const RUNNER_TOKEN_HEADER = "x-fnpad-runner-token";

/**
 * Header of every answer the runner itself makes to `/run`: `ran`, `isolate failed` (502) or
 * `draining` (503, nothing ran). Any other answer comes from the runner's broken process.
 */
export const RUNNER_OUTCOME_HEADER = "x-fnpad-runner-outcome";
