/**
 * Runs of a Python isolate go one at a time, each until its stream (if any) has ended. Calls to
 * one snippet version share its isolate and its one Python, and async handlers' calls overlap:
 * the adapter cancels the tasks a run left behind when the next one starts, and the interrupt,
 * the work budget and `print`'s capture are Python's, not a run's. Two callers' runs side by side
 * broke each other (a `CancelledError` in one, the other's budget stopping it, its prints in the
 * other's log). A run that holds its turn past `HOLD_MS` (an `await` that never ends, a stream
 * nobody reads) no longer holds up the next.
 */
import { LIMITS } from "../../../workers/limits.ts";

/** How long one run may keep the others waiting: its stream's limit, and then some. */
export const HOLD_MS = LIMITS.streamMs + 5_000;

/** One run's turn: when it began (`Date.now()`), and its end. */
interface Turn {
  began: Promise<number>;
  ended: Promise<void>;
}

export class OneAtATime {
  #last: Turn = { began: Promise.resolve(0), ended: Promise.resolve() };

  /**
   * Waits for the run before this one to end, or to have held its turn for `HOLD_MS`; resolves to
   * the function that ends this run's turn. Each waits on the one before it only, so runs queued
   * behind one that hangs start one after another, not all at once.
   */
  async turn(): Promise<() => void> {
    const before = this.#last;
    let release = () => {};
    let begin = (_at: number) => {};
    const ended = new Promise<void>((resolve) => (release = resolve));
    this.#last = { began: new Promise((resolve) => (begin = resolve)), ended };
    const beganBefore = await before.began;
    const waited = Math.max(0, beganBefore + HOLD_MS - Date.now());
    let wake = () => {};
    const timer = setTimeout(() => wake(), waited);
    await Promise.race([before.ended, new Promise<void>((resolve) => (wake = resolve))]);
    clearTimeout(timer);
    begin(Date.now());
    return release;
  }
}
