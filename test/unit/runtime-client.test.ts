import * as Comlink from "comlink";
import { expect, test } from "vitest";
import { RuntimeClient } from "../../web/src/runner/runtime-client.ts";
import type { SpawnedWorker } from "../../web/src/runner/spawn.ts";
import type { RuntimeState } from "../../workers/runner-protocol.ts";
import type { LanguageRuntime, ProgressSink } from "../../workers/runtime-protocol.ts";

/**
 * A runtime whose last progress report reaches the page after its load has resolved: reports
 * travel through their own port, which nothing orders with the reply to `load`.
 */
const lateReporter = {
  async load(onProgress?: ProgressSink) {
    setTimeout(() => onProgress?.({ stage: "Loading fnpad's adapter", fraction: 0.95 }), 20);
  },
  async run() {
    throw new Error("not run here");
  },
} as unknown as LanguageRuntime;

/** A worker in all but thread: Comlink over a real MessageChannel. */
function spawnInProcess(runtime: LanguageRuntime): SpawnedWorker {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(runtime, port2);
  const worker = Object.assign(port1, { terminate: () => port1.close() });
  return { worker: worker as unknown as Worker, ready: Promise.resolve() };
}

test("a progress report that lands after the load does not put a ready runtime back to loading", async () => {
  const client = new RuntimeClient({ spawn: () => spawnInProcess(lateReporter) });
  const states: RuntimeState["phase"][] = [];
  client.subscribe((state) => states.push(state.phase));
  await client.whenIdle(async () => {});
  expect(client.state.phase).toBe("ready");
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(states).toContain("ready");
  expect(client.state).toEqual({ phase: "ready" });
});

test("a run stopped in place whose runtime let go of its interpreter gets a fresh worker", async () => {
  // Python interrupted while it held gigabytes drops them with its interpreter: the worker, whose
  // memory never shrinks, must go too (it would otherwise boot Python again inside itself).
  let spawned = 0;
  const allocating = () => {
    let interrupt: Int32Array | undefined;
    return {
      async load() {},
      setInterruptBuffer(buffer: Int32Array) {
        interrupt = buffer;
      },
      async run() {
        while (interrupt && Atomics.load(interrupt, 0) === 0) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const response = { status: 503, headers: [], body: new Uint8Array() };
        return { response, logs: [], durationMs: 1, discarded: true };
      },
    };
  };
  const isolated = Object.getOwnPropertyDescriptor(globalThis, "crossOriginIsolated");
  Object.defineProperty(globalThis, "crossOriginIsolated", { value: true, configurable: true });
  try {
    const client = new RuntimeClient({
      spawn: () => {
        spawned += 1;
        return spawnInProcess(allocating() as unknown as LanguageRuntime);
      },
      attachInterrupt: (remote, buffer) =>
        (
          remote as unknown as { setInterruptBuffer(b: Int32Array): Promise<void> }
        ).setInterruptBuffer(buffer),
    });
    await client.whenIdle(async () => {});
    const request = {
      method: "GET",
      url: "https://x.test/",
      path: "/",
      query: "",
      headers: [],
      body: new Uint8Array(),
    };
    const outcome = await client.run("code", request, 100, () => {});
    expect(outcome.stopped).toBe("budget");
    expect(spawned).toBe(2);
  } finally {
    if (isolated) Object.defineProperty(globalThis, "crossOriginIsolated", isolated);
    else delete (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  }
});
