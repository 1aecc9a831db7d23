/**
 * Python restored from a memory snapshot that holds fnpad's adapter, as the edge's isolates and
 * the browser's worker restore the build's (made in workerd; here Node's Pyodide makes its own,
 * the same way `edge/sandbox/isolate/python-snapshot.ts` does).
 */
import { gzipSync } from "node:zlib";
import { loadPyodide, type PyodideInterface } from "pyodide";
import { beforeAll, describe, expect, it } from "vitest";
import { hasAdapter, installAdapter } from "../../workers/python/adapter-install.ts";
import { PythonRuntime } from "../../workers/python/runtime.ts";
import { wasmHeapOf, zeroFreeMemory } from "../../workers/python/zero-free-memory.ts";
import { getRequest, responseJson, responseText } from "./request.ts";

let snapshot: Uint8Array;
/** The same memory before its free chunks were zeroed, gzipped. */
let unzeroedGzipBytes: number;
let maker: PyodideInterface;

beforeAll(async () => {
  maker = await loadPyodide({ _makeSnapshot: true });
  installAdapter(maker);
  unzeroedGzipBytes = gzipSync(maker.makeMemorySnapshot()).length;
  zeroFreeMemory(wasmHeapOf(maker));
  snapshot = maker.makeMemorySnapshot();
}, 60_000);

/** A runtime on a fresh Pyodide restored from the snapshot; `restored` is that Pyodide. */
function restoredRuntime() {
  let restored: PyodideInterface | undefined;
  const runtime = new PythonRuntime(async () => {
    restored = await loadPyodide({ _loadSnapshot: snapshot });
    return restored;
  });
  return { runtime, pyodide: () => restored };
}

describe("a snapshot with the adapter", () => {
  it("is made of a heap whose free memory was zeroed: much smaller gzipped, the same size, and free to grow after", () => {
    const heap = wasmHeapOf(maker);
    expect(snapshot.length).toBeGreaterThan(heap.HEAPU8.length);
    // Measured: 7.0 → 5.7 MB.
    expect(gzipSync(snapshot).length).toBeLessThan(unzeroedGzipBytes * 0.9);
    // The footprint cap is lifted again: a block larger than all free memory is still given.
    const size = heap.HEAPU8.length;
    const big = heap._malloc(size);
    expect(big).not.toBe(0);
    expect(heap.HEAPU8.length).toBeGreaterThan(size);
    heap._free(big);
  });

  it("restores with the adapter in place, which answers requests and logs", async () => {
    const { runtime, pyodide } = restoredRuntime();
    await runtime.load();
    expect(hasAdapter(pyodide() as PyodideInterface)).toBe(true);
    const code = [
      "from workers import Response",
      "def handler(request):",
      "    print('hello')",
      "    return Response.json({'path': request.path, 'env': dict(request.env)})",
    ].join("\n");
    const result = await runtime.run(code, getRequest("/a"), undefined, { NAME: "value" });
    expect(result.response.status).toBe(200);
    expect(responseJson(result.response.body)).toEqual({ path: "/a", env: { NAME: "value" } });
    expect(result.logs.map(({ stream, text }) => [stream, text])).toEqual([["stdout", "hello"]]);
  }, 60_000);

  it("gives each restore its own state: one snippet's imports and globals are not another's", async () => {
    const first = restoredRuntime().runtime;
    const writer = [
      "import builtins, sys, types, json, fnpad",
      "def handler(request):",
      "    builtins.leaked = True",
      "    fnpad.leaked = True",
      "    sys.modules['_fnpad_adapter'].leaked = True",
      "    json.dumps = lambda *a, **k: 'poisoned'",
      "    sys.modules['leaked_module'] = types.ModuleType('leaked_module')",
      "    import email.mime.text",
      "    return 'written'",
    ].join("\n");
    expect(responseText((await first.run(writer, getRequest())).response.body)).toBe("written");

    const second = restoredRuntime().runtime;
    const reader = [
      "import builtins, sys, json, fnpad",
      "def handler(request):",
      "    return {",
      "        'builtins': hasattr(builtins, 'leaked'),",
      "        'fnpad': hasattr(fnpad, 'leaked'),",
      "        'adapter': hasattr(sys.modules['_fnpad_adapter'], 'leaked'),",
      "        'json': json.dumps(1),",
      "        'module': 'leaked_module' in sys.modules,",
      "        'imported': 'email.mime.text' in sys.modules,",
      "    }",
    ].join("\n");
    const seen = await second.run(reader, getRequest());
    expect(responseJson(seen.response.body)).toEqual({
      builtins: false,
      fnpad: false,
      adapter: false,
      json: "1",
      module: false,
      imported: false,
    });
  }, 60_000);

  it("still stops runaway code: the interrupt buffer is set after the restore", async () => {
    const { runtime } = restoredRuntime();
    let reads = 0;
    runtime.setInterruptBuffer({
      length: 1,
      get 0() {
        reads += 1;
        return reads > 20_000 ? 2 : 0;
      },
    });
    const stopped = await runtime.run(
      "def handler(request):\n    while True:\n        pass\n",
      getRequest(),
    );
    expect(stopped.response.status).toBe(503);
  }, 60_000);
});
