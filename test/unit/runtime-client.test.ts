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
