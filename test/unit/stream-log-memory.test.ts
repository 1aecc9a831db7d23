/**
 * The attack: log lines a handler prints while its response streams reached the parent as log
 * frames of up to 16 MiB each, which counted against no cap, and the relay kept each as a slice
 * of the parsed line, which keeps the whole line alive: 100 lines of 15 MiB made the app's own
 * isolate hold ~1.5 GB until the stream ended, past production's 128 MB per isolate, while the
 * handler held one 15 MiB string. Here through the isolate's and the parent's real code in Node.
 */
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { envRedactor } from "../../edge/env-redact.ts";
import { redactRun } from "../../edge/sandbox/isolate/redact-run.ts";
import { streamedRun } from "../../edge/sandbox/stream-events.ts";
import { relayStream } from "../../edge/sandbox/stream-relay.ts";
import { wireRequest } from "../../workers/http.ts";
import { compiledWith, importFromDataUrl } from "../../workers/typescript/importers.ts";
import { TypeScriptRuntime } from "../../workers/typescript/runtime.ts";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const LINES = 20;
const HOSTILE = `
export default () => {
  const line = "x".repeat(8 * 1024 * 1024);
  let n = 0;
  return new Response(new ReadableStream({
    async pull(c) {
      if (n === 0) await new Promise((r) => setTimeout(r, 100)); // past the plain-body window
      if (n++ < ${LINES}) { console.log(line); c.enqueue(new Uint8Array([46])); return; }
      await new Promise((r) => setTimeout(r, 5_000)); // still streaming
    },
  }));
};`;

describe("a streamed response's log lines", () => {
  it("cannot make the parent hold much more than the call log keeps", async () => {
    const runtime = new TypeScriptRuntime(compiledWith(importFromDataUrl));
    const request = wireRequest({
      method: "GET",
      url: "https://x/",
      path: "/",
      headers: [],
      body: null,
    });
    gc();
    const before = process.memoryUsage().heapUsed;
    const ran = await runtime.start(HOSTILE, request, undefined, {});
    const { stream, ...result } = redactRun(ran, envRedactor({}));
    const run = streamedRun(result, stream ?? { next: async () => ({ done: true }), cancel() {} });
    const { body, ended } = relayStream(run.events as ReadableStream<Uint8Array>, 30_000);
    const reader = body.getReader();
    let bytes = 0;
    while (bytes < LINES) bytes += (await reader.read()).value?.byteLength ?? LINES;
    gc();
    const held = process.memoryUsage().heapUsed - before;
    await reader.cancel();
    const outcome = await ended;
    expect(outcome.logs).toHaveLength(LINES);
    // The call log keeps 1,000 characters of each line: 20 kB, not 160 MB.
    expect(held).toBeLessThan(32 * 1024 * 1024);
  });
});
