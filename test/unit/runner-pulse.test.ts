/** The page's check that its runner is still there while a run goes (`web/src/run/runner-pulse.ts`). */
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { PING_EVERY_MS, RunnerPulse, SILENT_MS } from "../../web/src/run/runner-pulse.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "performance"] });
});
afterEach(() => {
  vi.useRealTimers();
});

function pulse(due = () => true) {
  const pings: number[] = [];
  const gone = vi.fn();
  const runner = new RunnerPulse({ ping: (id) => pings.push(id), due, onGone: gone });
  return { runner, pings, gone };
}

test("a runner that answers every ping is never counted gone", () => {
  const { runner, pings, gone } = pulse();
  runner.start();
  for (let beat = 0; beat < 20; beat += 1) {
    vi.advanceTimersByTime(PING_EVERY_MS);
    const last = pings.at(-1);
    if (last !== undefined) runner.answered(last);
  }
  expect(pings.length).toBe(20);
  expect(gone).not.toHaveBeenCalled();
});

test("a ping unanswered past the silence ends it once, and only then", () => {
  const { runner, pings, gone } = pulse();
  runner.start();
  vi.advanceTimersByTime(PING_EVERY_MS);
  expect(pings).toEqual([0]);
  // Still waiting for 0: no second ping, and not gone within the silence allowed.
  vi.advanceTimersByTime(SILENT_MS);
  expect(pings).toEqual([0]);
  expect(gone).not.toHaveBeenCalled();
  vi.advanceTimersByTime(PING_EVERY_MS);
  expect(gone).toHaveBeenCalledTimes(1);
  vi.advanceTimersByTime(10 * PING_EVERY_MS);
  expect(gone).toHaveBeenCalledTimes(1);
});

test("an answer to an older ping, or to none, does not count", () => {
  const { runner, pings, gone } = pulse();
  runner.start();
  vi.advanceTimersByTime(PING_EVERY_MS);
  runner.answered(7);
  vi.advanceTimersByTime(SILENT_MS + PING_EVERY_MS);
  expect(pings).toEqual([0]);
  expect(gone).toHaveBeenCalledTimes(1);
});

test("a runner not due an answer yet is not pinged; a stopped pulse says nothing", () => {
  let listening = false;
  const { runner, pings, gone } = pulse(() => listening);
  runner.start();
  vi.advanceTimersByTime(10 * PING_EVERY_MS);
  expect(pings).toEqual([]);
  listening = true;
  vi.advanceTimersByTime(PING_EVERY_MS);
  expect(pings).toEqual([0]);
  runner.stop();
  vi.advanceTimersByTime(10 * SILENT_MS);
  expect(gone).not.toHaveBeenCalled();
  // A new run starts afresh: the old unanswered ping is not held against it.
  runner.start();
  vi.advanceTimersByTime(PING_EVERY_MS);
  expect(pings).toEqual([0, 1]);
  runner.answered(1);
  vi.advanceTimersByTime(SILENT_MS);
  expect(gone).not.toHaveBeenCalled();
});

test("a page whose own thread was held up counts the silence afresh, then finds a runner gone", () => {
  const { runner, pings, gone } = pulse();
  runner.start();
  vi.advanceTimersByTime(PING_EVERY_MS);
  expect(pings).toEqual([0]);
  // The page's thread is busy for longer than the silence allowed: no beat runs meanwhile, and
  // the runner's answer waits in the queue behind the next beat.
  const held = SILENT_MS + 2 * PING_EVERY_MS;
  const now = performance.now();
  const clock = vi.spyOn(performance, "now").mockImplementation(() => now + held);
  vi.advanceTimersByTime(PING_EVERY_MS);
  clock.mockRestore();
  expect(gone).not.toHaveBeenCalled();
  runner.answered(0);
  vi.advanceTimersByTime(PING_EVERY_MS);
  expect(pings).toEqual([0, 1]);
  // A runner that is really gone is still found, SILENT_MS of beats on time later.
  vi.advanceTimersByTime(SILENT_MS + PING_EVERY_MS);
  expect(gone).toHaveBeenCalledTimes(1);
});

test("a ping owed while the runner was not due (its runtime loading again) is not held against it", () => {
  let due = true;
  const { runner, pings, gone } = pulse(() => due);
  runner.start();
  vi.advanceTimersByTime(PING_EVERY_MS);
  expect(pings).toEqual([0]);
  due = false;
  vi.advanceTimersByTime(2 * SILENT_MS);
  due = true;
  vi.advanceTimersByTime(PING_EVERY_MS);
  expect(gone).not.toHaveBeenCalled();
  expect(pings).toEqual([0, 1]);
});
