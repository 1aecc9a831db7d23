/**
 * A Python that crashed (Pyodide's fatal error) is replaced, never left to fail every later run:
 * the runtime boots a fresh one, and the browser's client replaces the worker. Real Pyodide.
 */
import * as Comlink from "comlink";
import { loadPyodide } from "pyodide";
import { afterEach, expect, test, vi } from "vitest";
import { RuntimeClient } from "../../web/src/runner/runtime-client.ts";
import type { SpawnedWorker } from "../../web/src/runner/spawn.ts";
import { TOO_DEEPLY_NESTED } from "../../workers/python/check.ts";
import { PythonRuntime } from "../../workers/python/runtime.ts";
import { getRequest, responseJson, responseText } from "./request.ts";

/** Nested past the compiler's stack: compiling it is a fatal error for that Python. */
const DEEP = `${"1+".repeat(150_000)}1`;
const ALIVE = 'def handler(request):\n    return "alive"\n';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Pyodide reports its fatal error on the console at length; the test says what it checks. */
function quietFatal() {
  return vi.spyOn(console, "error").mockImplementation(() => {});
}

test("a run that crashes Python answers a platform error, and the next run has a fresh Python", async () => {
  const runtime = new PythonRuntime(() => loadPyodide());
  runtime.setInterruptBuffer(new Int32Array(1));
  await runtime.load();
  expect(runtime.booted).toBe(true);

  const fatal = quietFatal();
  const crashed = await runtime.run(
    `def handler(request):\n    return eval(${JSON.stringify(DEEP)})\n`,
    getRequest(),
  );
  expect(fatal).toHaveBeenCalled();
  expect(crashed.response.status).toBe(500);
  expect(crashed.discarded).toBe(true);
  expect(responseJson(crashed.response.body)).toMatchObject({
    error: { message: expect.stringMatching(/^Python crashed .*fresh Python/) },
    source: "platform",
  });
  expect(runtime.booted).toBe(false);

  const next = await runtime.run(ALIVE, getRequest());
  expect(next.response.status).toBe(200);
  expect(responseText(next.response.body)).toBe("alive");
  expect(runtime.booted).toBe(true);
}, 120_000);

test("a stream whose Python crashes midway says so at its end, and the next run has a fresh Python", async () => {
  const runtime = new PythonRuntime(() => loadPyodide());
  runtime.setInterruptBuffer(new Int32Array(1));
  const fatal = quietFatal();
  const crashed = await runtime.run(
    [
      "def handler(request):",
      "    def chunks():",
      '        yield "first"',
      `        yield str(eval(${JSON.stringify(DEEP)}))`,
      "    return chunks()",
      "",
    ].join("\n"),
    getRequest(),
  );
  expect(fatal).toHaveBeenCalled();
  expect(crashed.streamed).toBe(true);
  // The browser's client replaces the worker on this, at once rather than at the next run.
  expect(crashed.discarded).toBe(true);
  expect(runtime.booted).toBe(false);
  const next = await runtime.run(ALIVE, getRequest());
  expect(responseText(next.response.body)).toBe("alive");
}, 120_000);

test("a syntax check that crashes Python reports the nesting, and the client replaces the worker", async () => {
  let spawned = 0;
  const client = new RuntimeClient<PythonRuntime>({
    spawn: (): SpawnedWorker => {
      spawned += 1;
      const { port1, port2 } = new MessageChannel();
      Comlink.expose(new PythonRuntime(() => loadPyodide()), port2);
      const worker = Object.assign(port1, { terminate: () => port1.close() });
      return { worker: worker as unknown as Worker, ready: Promise.resolve() };
    },
  });
  quietFatal();
  const problems = await client.whenIdle((remote) => remote.checkSyntax(`x = ${DEEP}\n`));
  expect(problems).toEqual([{ line: 1, column: 1, message: TOO_DEEPLY_NESTED }]);
  expect(spawned).toBe(2);

  // The replacement checks and runs as the first did.
  const broken = await client.whenIdle((remote) => remote.checkSyntax("x = = 1\n"));
  expect(broken[0]?.line).toBe(1);
  expect(broken[0]?.message).toMatch(/invalid syntax/);
  const outcome = await client.run(ALIVE, getRequest(), 30_000, () => {});
  expect(responseText(outcome.response.body)).toBe("alive");
  expect(spawned).toBe(2);
}, 120_000);

test("a run that leaves Python holding gigabytes is answered, and the next run has a fresh Python", async () => {
  const runtime = new PythonRuntime(() => loadPyodide());
  runtime.setInterruptBuffer(new Int32Array(1));
  const marked = [
    "import sys",
    "",
    "def handler(request):",
    "    seen = getattr(sys, 'fnpad_mark', 'fresh')",
    "    sys.fnpad_mark = 'used'",
    "    if request.path == '/big':",
    // Wasm memory grows to hold it and never shrinks, though the bytes are freed.
    "        return len(bytearray(600 * 2**20))",
    "    return seen",
    "",
  ].join("\n");
  const small = await runtime.run(marked, getRequest());
  expect(responseText(small.response.body)).toBe("fresh");
  expect(small.discarded).toBeUndefined();
  expect(responseText((await runtime.run(marked, getRequest())).response.body)).toBe("used");

  const big = await runtime.run(marked, getRequest("/big"));
  expect(big.response.status).toBe(200);
  expect(responseText(big.response.body)).toBe(String(600 * 2 ** 20));
  expect(big.discarded).toBe(true);
  expect(runtime.booted).toBe(false);
  expect(responseText((await runtime.run(marked, getRequest())).response.body)).toBe("fresh");
}, 120_000);
