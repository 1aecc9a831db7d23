/** Runs of a Python isolate take turns (`edge/sandbox/isolate/one-at-a-time.ts`). */
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { HOLD_MS, OneAtATime } from "../../edge/sandbox/isolate/one-at-a-time.ts";

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
  (await first)();
  await vi.advanceTimersByTimeAsync(0);
  expect(given).toEqual(["first", "second"]);
  (await second)();
});

it("runs queued behind one that hangs start one after another, each after the one before held its turn too long", async () => {
  // Each waiter used to count from the hanging run's start: both started together after it.
  const turns = new OneAtATime();
  const given: string[] = [];
  void queue(turns, given, "hangs");
  void queue(turns, given, "second");
  void queue(turns, given, "third");
  await vi.advanceTimersByTimeAsync(HOLD_MS - 1);
  expect(given).toEqual(["hangs"]);
  await vi.advanceTimersByTimeAsync(1);
  expect(given).toEqual(["hangs", "second"]);
  await vi.advanceTimersByTimeAsync(HOLD_MS - 1);
  expect(given).toEqual(["hangs", "second"]);
  await vi.advanceTimersByTimeAsync(1);
  expect(given).toEqual(["hangs", "second", "third"]);
});
