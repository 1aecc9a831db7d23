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
const HOLD_MS = LIMITS.streamMs + 5_000;

export class OneAtATime {
  #last: Promise<void> = Promise.resolve();
  #heldSince = 0;

  /** Waits for the runs before this one; resolves to the function that ends its turn. */
  async turn(): Promise<() => void> {
    const before = this.#last;
    const heldSince = this.#heldSince;
    let release = () => {};
    this.#last = new Promise((resolve) => {
      release = resolve;
    });
    const waited = Math.max(0, heldSince + HOLD_MS - Date.now());
    let wake = () => {};
    const timer = setTimeout(() => wake(), waited);
    await Promise.race([before, new Promise<void>((resolve) => (wake = resolve))]);
    clearTimeout(timer);
    this.#heldSince = Date.now();
    return release;
  }
}
