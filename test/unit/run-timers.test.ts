/** Timers a run leaves behind end with it (`workers/typescript/run-timers.ts`), on a scope of its own. */
import { describe, expect, it } from "vitest";
import { RunTimers } from "../../workers/typescript/run-timers.ts";

/** A scope with Node's real timer functions, wrapped by `RunTimers` instead of the process's. */
function scope() {
  const own = { setTimeout, setInterval, clearTimeout, clearInterval };
  return { own, timers: new RunTimers(own) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("run timers", () => {
  it("cancel the timeouts and intervals still pending when the run ends", async () => {
    const { own, timers } = scope();
    const fired: string[] = [];
    own.setTimeout(() => fired.push("soon"), 1);
    own.setTimeout(() => fired.push("late"), 50);
    own.setInterval(() => fired.push("tick"), 5);
    await sleep(20);
    const before = fired.length;
    expect(fired).toContain("soon");
    expect(fired).toContain("tick");
    expect(timers.pending).toBe(2); // "late" and the interval; "soon" fired
    timers.endRun();
    expect(timers.pending).toBe(0);
    await sleep(80);
    expect(fired.length).toBe(before);
  });

  it("forget timers that fired or were cleared, and pass arguments on", async () => {
    const { own, timers } = scope();
    const got: unknown[] = [];
    own.setTimeout((a: unknown, b: unknown) => got.push(a, b), 1, "x", 2);
    const interval = own.setInterval(() => {}, 1000);
    own.clearInterval(interval);
    const timeout = own.setTimeout(() => got.push("never"), 1000);
    own.clearTimeout(timeout);
    await sleep(10);
    expect(got).toEqual(["x", 2]);
    expect(timers.pending).toBe(0);
  });
});
