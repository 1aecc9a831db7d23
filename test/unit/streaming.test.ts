/**
 * Streamed bodies on the real runtimes (Pyodide, sucrase): chunks arrive on their own, and the
 * size cap and the work guards cut a runaway stream, which then ends with a clear platform error.
 */
import { loadPyodide } from "pyodide";
import { beforeAll, describe, expect, it } from "vitest";
import { STOPPED_STATUS } from "../../workers/http.ts";
import { LIMITS } from "../../workers/limits.ts";
import { PythonRuntime } from "../../workers/python/runtime.ts";
import type { StreamPart } from "../../workers/runtime-protocol.ts";
import { compiledWith, importFromDataUrl } from "../../workers/typescript/importers.ts";
import { TypeScriptRuntime } from "../../workers/typescript/runtime.ts";
import { getRequest, responseJson, responseText } from "./request.ts";

const typescript = new TypeScriptRuntime(compiledWith(importFromDataUrl), { maxTicks: 1_000_000 });
const python = new PythonRuntime(() => loadPyodide());
/** Like the edge's buffer: index 0 reads 2 once the run used its reads. */
let reads = 0;
const interrupt = Object.defineProperty({ length: 1 }, 0, {
  get: () => (++reads > 50_000 ? 2 : 0),
  set: () => {},
}) as ArrayLike<number>;

beforeAll(async () => {
  python.setInterruptBuffer(interrupt);
  await python.load();
});

/** Runs `code` and keeps the parts it streamed, with the time each arrived. */
async function runStreaming(runtime: TypeScriptRuntime | PythonRuntime, code: string) {
  reads = 0;
  const started = performance.now();
  const parts: (StreamPart & { at: number })[] = [];
  const result = await runtime.run(code, getRequest(), undefined, {}, (part) =>
    parts.push({ ...part, at: performance.now() - started }),
  );
  return { result, parts, chunks: parts.filter((part) => part.type === "chunk") };
}

const MIB = 1024 * 1024;

describe("TypeScript streams", () => {
  it("hands each chunk on as it is made, the first well before the last", async () => {
    const code = `export default () => new Response(new ReadableStream({
      async start(c) {
        for (let i = 0; i < 4; i++) {
          c.enqueue(new TextEncoder().encode("chunk " + i + "\\n"));
          await new Promise((r) => setTimeout(r, 300));
        }
        c.close();
      },
    }));`;
    const { result, chunks } = await runStreaming(typescript, code);
    expect(chunks).toHaveLength(4);
    expect(responseText(result.response.body)).toBe("chunk 0\nchunk 1\nchunk 2\nchunk 3\n");
    const [first, last] = [chunks[0]?.at ?? 0, chunks[3]?.at ?? 0];
    expect(last - first).toBeGreaterThanOrEqual(500);
  });

  it("cuts a stream that emits past the size cap and cancels its source", async () => {
    const code = `let cancelled = false;
    export default () => new Response(new ReadableStream({
      async pull(c) {
        if (cancelled) throw new Error("pulled after cancel");
        c.enqueue(new Uint8Array(${MIB}));
        await new Promise((r) => setTimeout(r, 1));
      },
      cancel() { cancelled = true; console.log("cancelled"); },
    }));`;
    const { result, chunks } = await runStreaming(typescript, code);
    expect(result.response.status).toBe(502);
    expect(responseJson(result.response.body)).toMatchObject({
      error: { message: expect.stringContaining("was cut off") },
      source: "platform",
    });
    expect(chunks.length).toBe(LIMITS.responseBodyBytes / MIB);
  });

  it("stops a stream whose pull() spins, and the next run is fine", async () => {
    const code = `export default () => new Response(new ReadableStream({
      async pull(c) {
        c.enqueue(new TextEncoder().encode("x"));
        await new Promise((r) => setTimeout(r, 30));
        for (;;) {}
      },
    }));`;
    const { result, chunks } = await runStreaming(typescript, code);
    expect(chunks.length).toBeGreaterThanOrEqual(1);
    expect(result.response.status).toBe(STOPPED_STATUS);
    expect(responseJson(result.response.body)).toMatchObject({
      error: { message: "stopped: work budget exceeded" },
    });
    const next = await typescript.run("export default () => 'alive';", getRequest());
    expect(responseText(next.response.body)).toBe("alive");
  });

  it("ends a stream that goes on feeding after it swallowed the guard's error", async () => {
    // After the spin, only native code runs (a bound `enqueue` on an interval): no tick to throw.
    const code = `export default () => new Response(new ReadableStream({
      start(c) {
        setTimeout(() => {
          try { for (;;) {} } catch {}
          globalThis.feed = setInterval(c.enqueue.bind(c, new Uint8Array(1)), 5);
        }, 50);
      },
    }));`;
    const { result } = await runStreaming(typescript, code);
    expect(result.response.status).toBe(STOPPED_STATUS);
    // The handler's timer outlives its stream (it shares this process's timers, as it shares its
    // worker's in the browser); left going, each tick throws into the closed stream.
    clearInterval((globalThis as { feed?: ReturnType<typeof setInterval> }).feed);
  });

  it("refuses chunks that are not bytes, as the handler's error", async () => {
    const code = `export default () => new Response(new ReadableStream({
      async start(c) { await new Promise((r) => setTimeout(r, 30)); c.enqueue("text"); c.close(); },
    }));`;
    const { result } = await runStreaming(typescript, code);
    expect(result.response.status).toBe(500);
    expect(result.error?.message).toMatch(/TextEncoder|Uint8Array/);
  });

  it("keeps a plain Response body on the plain path (nothing streamed)", async () => {
    const { result, parts } = await runStreaming(
      typescript,
      "export default () => new Response('plain', { status: 201 });",
    );
    expect(parts).toEqual([]);
    expect(result.streamed).toBeUndefined();
    expect(result.response.status).toBe(201);
    expect(responseText(result.response.body)).toBe("plain");
  });
});

describe("Python streams", () => {
  it("hands each chunk of an async generator on as it is made", async () => {
    const code = [
      "import asyncio",
      "async def handler(request):",
      "    async def body():",
      "        for i in range(4):",
      "            yield f'chunk {i}\\n'",
      "            await asyncio.sleep(0.3)",
      "    return body()",
    ].join("\n");
    const { result, chunks } = await runStreaming(python, code);
    expect(chunks).toHaveLength(4);
    expect(responseText(result.response.body)).toBe("chunk 0\nchunk 1\nchunk 2\nchunk 3\n");
    expect((chunks[3]?.at ?? 0) - (chunks[0]?.at ?? 0)).toBeGreaterThanOrEqual(500);
  });

  it("stops a generator that loops forever without yielding, then runs normally", async () => {
    const code = [
      "def handler(request):",
      "    yield 'first'",
      "    while True:",
      "        pass",
    ].join("\n");
    const { result, chunks } = await runStreaming(python, code);
    expect(chunks).toHaveLength(1);
    expect(result.response.status).toBe(STOPPED_STATUS);
    reads = 0;
    const next = await python.run("def handler(request):\n    return 'alive'\n", getRequest());
    expect(responseText(next.response.body)).toBe("alive");
  });

  it("cuts a generator that yields past the size cap and closes it", async () => {
    const code = [
      "closed = []",
      "def handler(request):",
      "    def body():",
      "        try:",
      `            while True: yield bytes(${MIB})`,
      "        finally:",
      "            closed.append(True)",
      "            print('closed')",
      "    return body()",
    ].join("\n");
    const { result, chunks } = await runStreaming(python, code);
    expect(result.response.status).toBe(502);
    expect(chunks.length).toBe(LIMITS.responseBodyBytes / MIB);
    expect(result.logs.map((entry) => entry.text)).toContain("closed");
  });

  it("reports an exception raised midway as the handler's error, with its line", async () => {
    const code = ["def handler(request):", "    yield 'a'", "    raise ValueError('midway')"].join(
      "\n",
    );
    const { result, chunks } = await runStreaming(python, code);
    expect(chunks).toHaveLength(1);
    expect(result.response.status).toBe(500);
    expect(result.error).toMatchObject({ type: "ValueError", message: "midway", line: 3 });
  });

  it("refuses a chunk that is neither str nor bytes", async () => {
    const { result } = await runStreaming(python, "def handler(request):\n    yield 42\n");
    expect(result.response.status).toBe(500);
    expect(result.error?.message).toMatch(/str or bytes/);
  });
});
