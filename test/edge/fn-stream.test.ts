/**
 * Streamed responses through `/fn` in workerd: bytes leave as the handler makes them (Worker
 * Loader isolate → the parent's relay → the caller), the header allow-list still applies, the
 * parent's size cap and time limit cut a runaway stream (the caller sees a broken-off body), and
 * the call log records each streamed call once its stream ended.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "../../workers/limits.ts";
import { createSnippet } from "./api-client.ts";
import { callsOnce } from "./calls-client.ts";
import { callEndpoint, PYTHON_WARM_UP_MS, warmUpPython } from "./fn-client.ts";

beforeAll(warmUpPython, PYTHON_WARM_UP_MS);

interface Arrival {
  text: string;
  at: number;
}

/** Reads `response`'s body chunk by chunk, noting when each arrived; `failed` when it broke off. */
async function readArrivals(response: Response) {
  const started = performance.now();
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no body");
  const arrivals: Arrival[] = [];
  const decoder = new TextDecoder();
  let bytes = 0;
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
    } catch (error) {
      return { arrivals, bytes, failed: String(error) };
    }
    if (read.done) return { arrivals, bytes, failed: null };
    bytes += read.value.byteLength;
    // `Date.now()` moves on I/O in workerd, as each arrival is.
    arrivals.push({ text: decoder.decode(read.value), at: performance.now() - started });
  }
}

const TS_FOUR_CHUNKS = `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export default function handler() {
  const encoder = new TextEncoder();
  return new Response(new ReadableStream({
    async start(c) {
      for (let i = 1; i <= 4; i++) {
        console.log("sending", i);
        c.enqueue(encoder.encode("data: " + i + "\\n\\n"));
        if (i < 4) await sleep(300);
      }
      c.close();
    },
  }), { headers: { "content-type": "text/event-stream", "set-cookie": "a=b", "x-kind": "sse" } });
}`;

const PY_FOUR_CHUNKS = `import asyncio
from workers import Response

async def on_fetch(request, env):
    async def events():
        for i in range(1, 5):
            print("sending", i)
            yield f"data: {i}\\n\\n"
            if i < 4:
                await asyncio.sleep(0.3)
    return Response(events(), headers={"content-type": "text/event-stream", "set-cookie": "a=b"})
`;

describe.each([
  ["typescript", TS_FOUR_CHUNKS],
  ["python", PY_FOUR_CHUNKS],
] as const)("%s: a handler that sleeps 300 ms between 4 chunks", (language, code) => {
  it("sends the first bytes well before the last, and the log records the call at its end", async () => {
    const { id, token } = await createSnippet({ language, code });
    const response = await callEndpoint(id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    // The allow-list and the sandbox headers hold for a stream too.
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(response.headers.get("content-security-policy")).toMatch(/^sandbox /);
    const { arrivals, failed } = await readArrivals(response);
    expect(failed).toBeNull();
    expect(arrivals.map((arrival) => arrival.text).join("")).toBe(
      "data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n",
    );
    const first = arrivals[0]?.at ?? 0;
    const last = arrivals.at(-1)?.at ?? 0;
    expect(last - first).toBeGreaterThanOrEqual(500);

    const [call] = await callsOnce(id, token, 1);
    expect(call).toMatchObject({ status: 200, responseBytes: 36, error: null });
    expect(call?.contentType).toBe("text/event-stream");
    expect(call?.logs.map((entry) => entry.text)).toEqual([
      "sending 1",
      "sending 2",
      "sending 3",
      "sending 4",
    ]);
    // Until the stream ended, not until its head went out.
    expect(call?.durationMs).toBeGreaterThanOrEqual(800);
  }, 60_000);
});

describe("runaway streams are cut by the parent", () => {
  it("cuts a TypeScript stream that emits past the size cap; the log says why", async () => {
    const code = `export default () => new Response(new ReadableStream({
      async pull(c) { c.enqueue(new Uint8Array(1024 * 1024)); await new Promise((r) => setTimeout(r, 1)); },
    }));`;
    const { id, token } = await createSnippet({ language: "typescript", code });
    const response = await callEndpoint(id);
    expect(response.status).toBe(200);
    const { bytes, failed } = await readArrivals(response);
    expect(failed).not.toBeNull();
    expect(bytes).toBeLessThanOrEqual(LIMITS.responseBodyBytes);
    const [call] = await callsOnce(id, token, 1);
    expect(call?.error?.message).toMatch(/passed 8 MiB and was cut off/);
  }, 60_000);

  it("cuts a stream that never ends at the time limit", async () => {
    const code = `export default () => new Response(new ReadableStream({
      async pull(c) { await new Promise((r) => setTimeout(r, 200)); c.enqueue(new TextEncoder().encode(".")); },
    }));`;
    const { id, token } = await createSnippet({ language: "typescript", code });
    const started = performance.now();
    const { arrivals, failed } = await readArrivals(await callEndpoint(id));
    expect(failed).not.toBeNull();
    expect(arrivals.length).toBeGreaterThan(1);
    expect(performance.now() - started).toBeLessThan(LIMITS.streamMs + 5_000);
    const [call] = await callsOnce(id, token, 1);
    expect(call?.error?.message).toMatch(/passed its 10 s limit/);
  }, 60_000);

  it("stops a TypeScript stream whose pull() spins", async () => {
    const code = `export default () => new Response(new ReadableStream({
      async pull(c) {
        c.enqueue(new TextEncoder().encode("x"));
        await new Promise((r) => setTimeout(r, 50));
        for (;;) {}
      },
    }));`;
    const { id, token } = await createSnippet({ language: "typescript", code });
    const { arrivals, failed } = await readArrivals(await callEndpoint(id));
    expect(arrivals.map((arrival) => arrival.text).join("")).toBe("x");
    expect(failed).not.toBeNull();
    const [call] = await callsOnce(id, token, 1);
    expect(call?.error?.message).toMatch(/stopped: work budget exceeded/);
  }, 60_000);

  it("stops a Python generator that loops forever without yielding", async () => {
    const code = "def handler(request):\n    yield 'first'\n    while True:\n        pass\n";
    const { id, token } = await createSnippet({ language: "python", code });
    const { arrivals, failed } = await readArrivals(await callEndpoint(id));
    expect(arrivals.map((arrival) => arrival.text).join("")).toBe("first");
    expect(failed).not.toBeNull();
    const [call] = await callsOnce(id, token, 1);
    expect(call?.error?.message).toMatch(/^stopped: /);
  }, 60_000);

  it("records a Python exception raised midway, and breaks the body off", async () => {
    const code = "def handler(request):\n    yield 'a'\n    raise ValueError('midway')\n";
    const { id, token } = await createSnippet({ language: "python", code });
    const { failed } = await readArrivals(await callEndpoint(id));
    expect(failed).not.toBeNull();
    const [call] = await callsOnce(id, token, 1);
    expect(call?.error).toMatchObject({ type: "ValueError", message: "midway", line: 3 });
  }, 60_000);
});

it("streams a TypeScript body whose pull() makes its first chunk after a wait", async () => {
  const code = [
    "export default () => {",
    "  let sent = 0;",
    "  return new Response(new ReadableStream({",
    "    async pull(controller) {",
    "      await scheduler.wait(300);",
    "      sent += 1;",
    "      controller.enqueue(new TextEncoder().encode('chunk ' + sent + ';'));",
    "      if (sent === 2) controller.close();",
    "    },",
    "  }));",
    "};",
    "",
  ].join("\n");
  const { id } = await createSnippet({ language: "typescript", code });
  const response = await callEndpoint(id);
  expect(response.status).toBe(200);
  const { arrivals, failed } = await readArrivals(response);
  expect(failed).toBeNull();
  expect(arrivals.map((arrival) => arrival.text).join("")).toBe("chunk 1;chunk 2;");
});
