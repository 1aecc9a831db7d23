/**
 * Main module of the build-time isolate that makes the Pyodide memory snapshot (run by
 * `tools/build-isolates.ts` in workerd, so the snapshot matches the runtime that restores it). Python is booted,
 * modules handlers commonly use are imported, and fnpad's adapter is installed with its own
 * imports (`adapter-install.ts`); a restored isolate (and the browser's worker) starts from there.
 * Only JavaScript globals named through `js` (restored by name) may be held by Python in the
 * snapshot; everything a run sets (env, request, interrupt buffer, stdout) is set after restore.
 */
import "./pyodide-env.ts";
import { installAdapter } from "../../../workers/python/adapter-install.ts";
import { wasmHeapOf, zeroFreeMemory } from "../../../workers/python/zero-free-memory.ts";
import wasm from "./pyodide.asm.wasm";
import { bootPyodide } from "./pyodide-boot.ts";
import stdlib from "./python_stdlib.zip";

/** Modules handlers commonly use (the adapter imports its own). */
const PRELOADED = [
  "asyncio",
  "base64",
  "collections.abc",
  "datetime",
  "hashlib",
  "inspect",
  "json",
  "linecache",
  "math",
  "random",
  "re",
  "traceback",
  "types",
  "urllib.parse",
];

export default {
  async fetch(): Promise<Response> {
    const pyodide = await bootPyodide({ wasm, stdlib, makeSnapshot: true });
    pyodide.runPython(PRELOADED.map((name) => `import ${name}`).join("\n"));
    installAdapter(pyodide);
    // What the boot and the imports freed still holds their bytes; zeroed, it gzips to little.
    zeroFreeMemory(wasmHeapOf(pyodide));
    return new Response(pyodide.makeMemorySnapshot());
  },
};
