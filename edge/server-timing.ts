/**
 * `Server-Timing` on endpoint answers, only when the app runs with `FNPAD_SERVER_TIMING=on`
 * (`wrangler dev --var FNPAD_SERVER_TIMING:on`, for the bench): where a call's time goes inside
 * the app. Workers' clocks move only on I/O, which is what every phase here waits on.
 */

/** The phases the bench reads, in the order a call goes through them. */
export const TIMED_PHASES = ["lookup", "env", "run", "runner"] as const;
export type TimedPhase = (typeof TIMED_PHASES)[number];

export class PhaseTimer {
  readonly #on: boolean;
  readonly #phases: [TimedPhase, number][] = [];

  constructor(env: unknown) {
    this.#on = (env as { FNPAD_SERVER_TIMING?: string }).FNPAD_SERVER_TIMING === "on";
  }

  /** Waits for `work`, noting how long it took as `phase`. */
  async time<T>(phase: TimedPhase, work: Promise<T>): Promise<T> {
    if (!this.#on) return work;
    const started = performance.now();
    try {
      return await work;
    } finally {
      this.#phases.push([phase, performance.now() - started]);
    }
  }

  /**
   * `response` with the phases noted so far, `runnerMs` (the part of `run` a runner process
   * spent in the isolate, as it reported it) as `runner`, and a Python boot's steps as
   * `boot-<step>` (see `bootPhases` in `runner/run.ts`).
   */
  addTo(response: Response, runnerMs?: unknown, boot?: unknown): Response {
    if (!this.#on) return response;
    const phases: [string, number][] = [...this.#phases];
    if (typeof runnerMs === "number") phases.push(["runner", runnerMs]);
    if (boot && typeof boot === "object") {
      for (const [step, ms] of Object.entries(boot))
        if (typeof ms === "number") phases.push([`boot-${step}`, ms]);
    }
    const value = phases
      .filter(([name, ms]) => /^[a-z-]+$/.test(name) && Number.isFinite(ms))
      .map(([name, ms]) => `${name};dur=${ms.toFixed(2)}`)
      .join(", ");
    response.headers.set("server-timing", value);
    return response;
  }
}
