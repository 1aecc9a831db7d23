/** Runs of a Python isolate take turns (`edge/sandbox/isolate/one-at-a-time.ts`). */
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { HOLD_MS, OneAtATime, WAIT_MS } from "../../edge/sandbox/isolate/one-at-a-time.ts";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Asks for a turn and notes when it is given. */
function queue(turns: OneAtATime, given: string[], name: string) {
  return turns.turn().then((release) => {
    given.push(name);
    return release;
  });
}

it("gives the next turn when the one before ends", async () => {
  const turns = new OneAtATime();
  const given: string[] = [];
  const first = queue(turns, given, "first");
  const second = queue(turns, given, "second");
  await vi.advanceTimersByTimeAsync(0);
  expect(given).toEqual(["first"]);
  (await first)?.();
  await vi.advanceTimersByTimeAsync(0);
  expect(given).toEqual(["first", "second"]);
  (await second)?.();
});

it("runs queued behind one that hangs start one after another, not together", async () => {
  // Each waiter used to count from the hanging run's start: both started together after it.
  const turns = new OneAtATime();
  const given: string[] = [];
  void queue(turns, given, "hangs");
  await vi.advanceTimersByTimeAsync(6_000);
  const second = queue(turns, given, "second");
  await vi.advanceTimersByTimeAsync(8_000);
  void queue(turns, given, "third");
  await vi.advanceTimersByTimeAsync(HOLD_MS - 14_000 - 1);
  expect(given).toEqual(["hangs"]);
  await vi.advanceTimersByTimeAsync(1);
  // The hanging run has held its turn too long: the next starts, and only the next.
  expect(given).toEqual(["hangs", "second"]);
  (await second)?.();
  await vi.advanceTimersByTimeAsync(0);
  expect(given).toEqual(["hangs", "second", "third"]);
});

it("a call that waited its whole patience gives up, and the one behind it still waits its turn", async () => {
  // Calls queued behind runs that hang waited on (K calls: K × 15 s), and each ran long after
  // its caller had been answered.
  const turns = new OneAtATime();
  const given: string[] = [];
  void queue(turns, given, "hangs");
  const gaveUp = turns.turn();
  await vi.advanceTimersByTimeAsync(WAIT_MS);
  expect(await gaveUp).toBeNull();
  const next = queue(turns, given, "next");
  // The one that gave up passed the hanging run on: the next still waits for it.
  await vi.advanceTimersByTimeAsync(HOLD_MS - WAIT_MS - 1);
  expect(given).toEqual(["hangs"]);
  await vi.advanceTimersByTimeAsync(1);
  expect(given).toEqual(["hangs", "next"]);
  (await next)?.();
});

it("a turn after the last one ended starts at once, with no timer; one behind a hanging run still waits", async () => {
  // Each turn set two timers, even with nobody before it: ~4 µs of every warm Python call each.
  const turns = new OneAtATime();
  const timers = vi.spyOn(globalThis, "setTimeout");
  const first = await turns.turn();
  first?.();
  const second = await turns.turn();
  expect(timers).not.toHaveBeenCalled();
  // While `second` has not ended, the next waits for it.
  const given: string[] = [];
  const third = queue(turns, given, "third");
  await vi.advanceTimersByTimeAsync(1_000);
  expect(given).toEqual([]);
  second?.();
  await vi.advanceTimersByTimeAsync(0);
  expect(given).toEqual(["third"]);
  expect(await third).toBeTypeOf("function");
});
