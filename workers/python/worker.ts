/**
 * The Python Web Worker: Pyodide served by the app from `/pyodide/` (never a CDN), restored from
 * the memory snapshot the edge restores too (made in workerd at build time; see
 * `tools/build-isolates.ts`), so that Python is not booted from scratch in the page. The big files
 * come from the page when it can (`browser-files.ts`); otherwise the worker fetches them.
 */
import { expose } from "comlink";
import { loadPyodide, type PyodideInterface } from "pyodide";
import { info } from "pyodide/pyodide-lock.json";
import { moduleBlobUrl } from "../module-blob.ts";
import type { PythonFiles } from "../runner-protocol.ts";
import type { ProgressSink } from "../runtime-protocol.ts";
import {
  ASM_JS_FILE,
  fetchPythonFiles,
  gunzip,
  PYODIDE_PATH,
  wasmResponse,
  withFilesServed,
} from "./browser-files.ts";
import { PythonRuntime } from "./runtime.ts";

/**
 * Absolute: the worker may run from a `blob:` URL (the runner frame starts it that way), against
 * which a path would not resolve.
 */
const INDEX_URL = new URL(PYODIDE_PATH, import.meta.url).href;

type LoadOptions = NonNullable<Parameters<typeof loadPyodide>[0]>;

/** A lock file without packages: none are served (there is no CDN), so none can be installed. */
const LOCK_FILE = JSON.stringify({ info, packages: {} });

/**
 * Pyodide's glue from the bytes the page handed over, as `loadPyodide` takes it; `undefined`
 * makes Pyodide import it from the network itself.
 */
async function glueFrom(asmJs: Blob | null): Promise<LoadOptions["createPyodideModule"]> {
  if (!asmJs) return undefined;
  const url = moduleBlobUrl(await asmJs.text(), `${INDEX_URL}${ASM_JS_FILE}`);
  try {
    const glue = (await import(/* @vite-ignore */ url)) as {
      default: NonNullable<LoadOptions["createPyodideModule"]>;
    };
    const create = glue.default;
    // Marks when the wasm is instantiated and Emscripten's runtime is up, before the restore.
    return async (settings) => marked(create(settings), "fnpad:python-instantiated");
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The part of the WebAssembly API Pyodide instantiates its wasm with. */
interface StreamingWasmApi {
  instantiateStreaming(
    source: unknown,
    imports: WebAssembly.Imports,
  ): Promise<{ module: WebAssembly.Module; instance: WebAssembly.Instance }>;
}

/** Runs `load` with Pyodide's wasm instantiated from `compiled`, compiled already; put back after. */
async function withCompiledWasm<T>(
  compiled: Promise<WebAssembly.Module>,
  load: () => Promise<T>,
): Promise<T> {
  const wasmApi = WebAssembly as unknown as StreamingWasmApi;
  const instantiateStreaming = wasmApi.instantiateStreaming;
  // Pyodide instantiates only its own wasm while it loads.
  wasmApi.instantiateStreaming = async (_source, imports) => {
    const module = await compiled;
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
  try {
    return await load();
  } finally {
    wasmApi.instantiateStreaming = instantiateStreaming;
  }
}

/**
 * The snapshot's bytes: read when the service worker kept it unzipped, else unzipped here. The
 * mark says which (`snapshot-read`, `snapshot-unzipped`).
 */
function snapshotBytes(files: PythonFiles): Promise<ArrayBuffer> | undefined {
  const { snapshotBin, snapshotGz } = files;
  if (snapshotBin) return marked(snapshotBin.arrayBuffer(), "fnpad:python-snapshot-read");
  return snapshotGz ? marked(gunzip(snapshotGz), "fnpad:python-snapshot-unzipped") : undefined;
}

function marked<T>(promise: Promise<T>, mark: string): Promise<T> {
  return promise.finally(() => performance.mark(mark));
}

/**
 * Loads Pyodide from the snapshot; without one, Python boots the slow way. The marks
 * (`fnpad:python-*`) tell the browser benchmark where the time went.
 */
async function startPyodide(given: PythonFiles | null): Promise<PyodideInterface> {
  performance.mark("fnpad:python-files");
  const files = given ?? (await fetchPythonFiles(INDEX_URL));
  // Compiled (off this thread, mostly) as its bytes are read, while the glue is imported and the
  // snapshot unzipped, rather than after them, when Pyodide would start it.
  const wasm = marked(
    WebAssembly.compileStreaming(wasmResponse(files)),
    "fnpad:python-wasm-compiled",
  );
  // Read (or unzipped) while the glue is compiled.
  const snapshot = snapshotBytes(files);
  const options: LoadOptions = {
    indexURL: INDEX_URL,
    lockFileContents: LOCK_FILE,
    createPyodideModule: await glueFrom(files.asmJs),
  };
  performance.mark("fnpad:python-glue");
  const pyodide = await withFilesServed(INDEX_URL, files, () =>
    withCompiledWasm(wasm, async () => {
      if (!snapshot) {
        console.warn("No Pyodide snapshot; booting Python without one");
        return loadPyodide(options);
      }
      return loadPyodide({ ...options, _loadSnapshot: snapshot });
    }),
  );
  performance.mark("fnpad:python-loaded");
  return pyodide;
}

function markOnce(name: string): void {
  if (performance.getEntriesByName(name).length === 0) performance.mark(name);
}

/** The Python runtime as the runner frame drives it: it may hand over Pyodide's files first. */
class BrowserPythonRuntime extends PythonRuntime {
  #files: PythonFiles | null = null;

  constructor() {
    super((onProgress) => this.#boot(onProgress));
  }

  /** Marks the first run's start and end in the worker: the bench's breakdown of a first result. */
  override async run(...args: Parameters<PythonRuntime["run"]>) {
    markOnce("fnpad:python-first-run");
    const result = await super.run(...args);
    markOnce("fnpad:python-first-run-done");
    return result;
  }

  /** Pyodide's files, fetched by the page; call before `load`. */
  provideFiles(files: PythonFiles): void {
    this.#files = files;
  }

  async #boot(onProgress?: ProgressSink): Promise<PyodideInterface> {
    onProgress?.({ stage: this.#files ? "Starting Python" : "Downloading Python", fraction: 0.2 });
    const pyodide = await startPyodide(this.#files);
    // The bytes are in Pyodide's memory now; the Blobs need not live as long as the worker.
    this.#files = null;
    onProgress?.({ stage: "Starting Python", fraction: 0.9 });
    return pyodide;
  }
}

/** What the runner frame's Comlink `Remote` wraps. */
export type PythonWorkerApi = BrowserPythonRuntime;

expose(new BrowserPythonRuntime());
// When the worker's own module (Pyodide's loader among it) had run: the bench's breakdown.
performance.mark("fnpad:python-module");
