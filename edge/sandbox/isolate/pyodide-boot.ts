/**
 * Boots the stock `pyodide` npm package inside a Worker Loader isolate, offline:
 * workerd refuses to compile wasm from bytes at run time and there is nothing to download, so
 * the compiled module arrives as an isolate module and the stdlib zip from the caller, and
 * Pyodide's two fetches (the stdlib zip, the wasm) are answered from them while it loads.
 */
import type { PyodideInterface } from "pyodide";
import createPyodideModule from "pyodide/pyodide.asm.mjs";
import { loadPyodide } from "pyodide/pyodide.mjs";
import { restoreWasmCompile } from "./pyodide-env.ts";
import {
  type PendingSnapshot,
  readSnapshotHeader,
  type SnapshotStream,
} from "./snapshot-stream.ts";

restoreWasmCompile();

/** What the isolate was given to boot Python from. */
export interface PyodideFiles {
  /** `pyodide.asm.wasm`, already compiled. */
  wasm: WebAssembly.Module;
  /** `python_stdlib.zip`. */
  stdlib: ArrayBuffer;
  /** A memory snapshot made at build time (`python-snapshot.ts`), to start from instead of booting. */
  snapshot?: SnapshotStream;
  /** Boot so that `makeMemorySnapshot()` can be called afterwards (build time only). */
  makeSnapshot?: boolean;
}

/** The base URL Pyodide believes it was loaded from; nothing is ever fetched from it. */
const INDEX_URL = "https://pyodide.invalid/";

/** The bundled Pyodide's lock file `info`, put in by `tools/build-isolates.ts`. */
declare const PYODIDE_LOCK_INFO: object;

/** A lock file without packages: nothing is installable at the edge (there is no CDN to get it from). */
const LOCK_FILE = JSON.stringify({ info: PYODIDE_LOCK_INFO, packages: {} });

/** The part of the WebAssembly API Pyodide instantiates its wasm with (absent from the Workers types). */
interface StreamingWasmApi {
  instantiateStreaming(
    source: unknown,
    imports: WebAssembly.Imports,
  ): Promise<{ module: WebAssembly.Module; instance: WebAssembly.Instance }>;
}

type CreateModule = typeof createPyodideModule;

/**
 * Emscripten's factory, which also writes the snapshot's memory image into the new module's
 * memory before Pyodide's own restore runs (that one is handed the header alone).
 */
function restoringFrom(snapshot: PendingSnapshot): CreateModule {
  return async (settings) => {
    const module = await createPyodideModule(settings);
    await snapshot.writeInto((module as unknown as { HEAPU8: Uint8Array }).HEAPU8);
    return module;
  };
}

/** Loads Pyodide from `files`; the isolate's `fetch` is restored afterwards. */
export async function bootPyodide(files: PyodideFiles): Promise<PyodideInterface> {
  const snapshot = files.snapshot && (await readSnapshotHeader(files.snapshot));
  const { fetch } = globalThis;
  const wasmApi = WebAssembly as unknown as StreamingWasmApi;
  const instantiateStreaming = wasmApi.instantiateStreaming;
  globalThis.fetch = async (input) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === `${INDEX_URL}python_stdlib.zip`) return new Response(files.stdlib);
    if (url === `${INDEX_URL}pyodide.asm.wasm`) return new Response(null);
    throw new Error(`Pyodide asked for ${url}, which the edge does not serve`);
  };
  wasmApi.instantiateStreaming = async (_source, imports) => ({
    module: files.wasm,
    instance: await WebAssembly.instantiate(files.wasm, imports),
  });
  try {
    return await loadPyodide({
      indexURL: INDEX_URL,
      packageBaseUrl: INDEX_URL,
      lockFileContents: LOCK_FILE,
      createPyodideModule: snapshot ? restoringFrom(snapshot) : createPyodideModule,
      ...(snapshot ? { _loadSnapshot: snapshot.header } : {}),
      ...(files.makeSnapshot ? { _makeSnapshot: true } : {}),
    });
  } finally {
    globalThis.fetch = fetch;
    wasmApi.instantiateStreaming = instantiateStreaming;
  }
}
