/** What the page knows of each runtime's loading state (`web/src/run/runtime-states.ts`). */
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { RuntimeStates } from "../../web/src/run/runtime-states.ts";
import type { RuntimeState } from "../../workers/runner-protocol.ts";

const STARTING: RuntimeState = { phase: "loading", progress: { stage: "Starting" } };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test("each runtime starts as starting, and its listeners hear its changes until they unsubscribe", () => {
  const states = new RuntimeStates(STARTING);
  expect(states.get("python")).toBe(STARTING);
  const heard: string[] = [];
  const unsubscribe = states.subscribe("python", (state) => heard.push(state.phase));
  states.set("typescript", { phase: "ready" });
  states.set("python", { phase: "ready" });
  unsubscribe();
  states.set("python", { phase: "failed", message: "gone" });
  expect(heard).toEqual(["ready"]);
  expect(states.get("python")).toEqual({ phase: "failed", message: "gone" });
  expect(states.get("typescript")).toEqual({ phase: "ready" });
});

test("settled waits for the runtime to stop loading, or for the timeout, and no longer", async () => {
  const states = new RuntimeStates(STARTING);
  let ready = false;
  const waiting = states.settled("python", 5_000).then(() => {
    ready = true;
  });
  states.set("python", { phase: "loading", progress: { stage: "Restoring Python" } });
  await vi.advanceTimersByTimeAsync(1_000);
  expect(ready).toBe(false);
  states.set("python", { phase: "ready" });
  await waiting;
  expect(ready).toBe(true);

  // Already settled: at once. Never settling: after the timeout.
  await states.settled("python", 5_000);
  let timedOut = false;
  const stuck = states.settled("typescript", 5_000).then(() => {
    timedOut = true;
  });
  await vi.advanceTimersByTimeAsync(4_999);
  expect(timedOut).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  await stuck;
  expect(timedOut).toBe(true);
});
