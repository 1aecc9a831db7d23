/**
 * Main module of the build-time isolate that makes the Pyodide memory snapshot (run by
 * `build.ts` in workerd, so the snapshot matches the runtime that restores it). Python is booted
 * and the stdlib modules every run needs are imported; a restored isolate starts from there.
 * Nothing that holds JavaScript objects (`js`, the adapter's proxies) may be in the snapshot.
 */
import "./pyodide-env.ts";
import wasm from "./pyodide.asm.wasm";
import { bootPyodide } from "./pyodide-boot.ts";
import stdlib from "./python_stdlib.zip";

/** The adapter's imports, and modules handlers commonly use. */
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
    return new Response(pyodide.makeMemorySnapshot());
  },
};
