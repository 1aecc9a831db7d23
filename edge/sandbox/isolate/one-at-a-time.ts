/**
 * Runs of a Python isolate go one at a time, each until its stream (if any) has ended. Calls to
 * one snippet version share its isolate and its one Python, and async handlers' calls overlap:
 * the adapter cancels the tasks a run left behind when the next one starts, and the interrupt,
 * the work budget and `print`'s capture are Python's, not a run's. Two callers' runs side by side
 * broke each other (a `CancelledError` in one, the other's budget stopping it, its prints in the
 * other's log). A run that holds its turn past `HOLD_MS` (an `await` that never ends, a stream
 * nobody reads) no longer holds up the next, and a call that has waited `WAIT_MS` for its turn
 * gives up rather than run long after its caller was answered.
 */
import { LIMITS } from "../../../workers/limits.ts";

/** How long one run may keep the others waiting: its stream's limit, and then some. */
export const HOLD_MS = LIMITS.streamMs + 5_000;

/**
 * How long a call waits for its turn: as long as a run may take before the edge answers its
 * caller itself (10 s), so a queue behind runs that hang drains instead of growing.
 */
export const WAIT_MS = 10_000;

/** One run's turn: when it began (`Date.now()`), and its end. */
interface Turn {
  began: Promise<number>;
  ended: Promise<void>;
  /** Set as it ends: the next run may start at once, with no timers (each costs a warm call ~4 µs). */
  over: boolean;
}

/** Resolves after `ms` unless cleared. */
function timer(ms: number): { done: Promise<"timeout">; clear(): void } {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const done = new Promise<"timeout">((resolve) => {
    handle = setTimeout(() => resolve("timeout"), ms);
  });
  return { done, clear: () => handle !== undefined && clearTimeout(handle) };
}

export class OneAtATime {
  #last: Turn = { began: Promise.resolve(0), ended: Promise.resolve(), over: true };

  /**
   * Waits for the run before this one to end, or to have held its turn for `HOLD_MS`; resolves to
   * the function that ends this run's turn, or to null when it waited `WAIT_MS` and gave up. Each
   * waits on the one before it only, so runs queued behind one that hangs start one after
   * another, not all at once; one that gave up passes the one before it on to the next.
   */
  async turn(): Promise<(() => void) | null> {
    const before = this.#last;
    let resolveEnded = () => {};
    let begin = (_at: number) => {};
    const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
    const turn: Turn = { began: new Promise((resolve) => (begin = resolve)), ended, over: false };
    const release = () => {
      turn.over = true;
      resolveEnded();
    };
    this.#last = turn;
    if (before.over) {
      begin(Date.now());
      return release;
    }
    const patience = timer(WAIT_MS);
    const giveUp = () => {
      void before.began.then(begin);
      void before.ended.then(release);
      return null;
    };
    const beganBefore = await Promise.race([before.began, patience.done]);
    if (beganBefore === "timeout") return giveUp();
    const held = timer(Math.max(0, beganBefore + HOLD_MS - Date.now()));
    const outcome = await Promise.race([before.ended, held.done, patience.done.then(() => null)]);
    held.clear();
    patience.clear();
    if (outcome === null) return giveUp();
    begin(Date.now());
    return release;
  }
}
