/**
 * Tells the page, while a run goes, whether its runner is still there. The runner's own thread
 * only relays messages (handlers run in its workers), so it answers a ping at once, unless its
 * process crashed: a handler that allocates until it dies takes the runner's process down (not
 * the page's: Chromium keeps the sandboxed frame in a process of its own), and then no answer
 * ever comes, nor the run's result.
 */

/** How often the page asks while a run goes. */
export const PING_EVERY_MS = 1000;
/** How long a ping may go unanswered before the runner counts as gone. */
export const SILENT_MS = 4000;
/** A beat this long after the last one shows that the page's own thread was held up. */
const LATE_BEAT_MS = 2 * PING_EVERY_MS;

export interface PulseOptions {
  /** Sends ping `pingId` to the runner. */
  ping: (pingId: number) => void;
  /**
   * Whether the runner is due an answer now: it listens (a frame still loading is the hello
   * timer's to replace) and the run's runtime has loaded (one still loading, compiling Pyodide on
   * a busy machine, is timed by the load allowance; and no handler has run yet to take it down).
   */
  due: () => boolean;
  /** Called once when a ping went unanswered for `SILENT_MS`; the pulse has stopped then. */
  onGone: () => void;
}

export class RunnerPulse {
  readonly #options: PulseOptions;
  #timer: ReturnType<typeof setInterval> | undefined;
  #nextPingId = 0;
  /** When the last beat ran. */
  #lastBeat = 0;
  /** The ping the runner has not answered yet, and when it was sent. */
  #unanswered: { pingId: number; sentAt: number } | null = null;

  constructor(options: PulseOptions) {
    this.#options = options;
  }

  /** Starts asking (for a run that has just been sent). */
  start(): void {
    this.stop();
    this.#lastBeat = performance.now();
    this.#timer = setInterval(() => this.#beat(), PING_EVERY_MS);
  }

  /** Stops asking (the run is over); answers still on their way are ignored. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unanswered = null;
  }

  /** The runner's `pong` for `pingId`. */
  answered(pingId: number): void {
    if (this.#unanswered?.pingId === pingId) this.#unanswered = null;
  }

  /**
   * One ping at a time. A beat that comes late (the page's own thread was busy, or its tab in the
   * background) may run before an answer that waits in the same queue, so the silence is counted
   * afresh from it: only beats on time can find a runner gone.
   */
  #beat(): void {
    const now = performance.now();
    const late = now - this.#lastBeat > LATE_BEAT_MS;
    this.#lastBeat = now;
    if (!this.#options.due()) {
      // An answer owed from before does not count against it afterwards.
      this.#unanswered = null;
      return;
    }
    const unanswered = this.#unanswered;
    if (unanswered === null) {
      const pingId = this.#nextPingId++;
      this.#unanswered = { pingId, sentAt: now };
      this.#options.ping(pingId);
    } else if (late) {
      unanswered.sentAt = now;
    } else if (now - unanswered.sentAt > SILENT_MS) {
      this.stop();
      this.#options.onGone();
    }
  }
}
