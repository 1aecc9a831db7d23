/**
 * A Pyodide made ready for `PythonRuntime`: fnpad's adapter found (a restored snapshot holds it)
 * or installed, its entry points taken, and the interrupt buffer fixed in place where handler
 * code cannot swap or silence it.
 */
import type { PyodideInterface } from "pyodide";
import type { CfProperties } from "../cf.ts";
import type { HandlerError, HeaderPair, LogStream } from "../runtime-protocol.ts";
import { adapterEntries } from "./adapter-install.ts";

/**
 * What `adapter.run` resolves to, an array made by `to_js` (quicker to cross than an object):
 * whether a KeyboardInterrupt stopped the run, the response, the handler's error, and the id
 * `adapter.step` takes when the handler returned a generator.
 */
export type AdapterOutcome = [
  stopped: boolean,
  response?: [status: number, headers: HeaderPair[], body: Uint8Array],
  error?: HandlerError,
  stream?: number,
];

/**
 * `adapter.run`: the request crosses in few pieces, each quick to convert. `head` is the JSON of
 * `[method, url, path, query, headers]` (the URL the handler sees), `body` is absent when empty,
 * `cf` is turned into Python only if the handler reads it, `env` is the JSON of the snippet's env.
 */
type AdapterRun = (
  code: string,
  head: string,
  body: Uint8Array | undefined,
  cf: CfProperties,
  onLog: (stream: LogStream, text: string) => void,
  onInterrupted: () => void,
  env: string,
) => AdapterOutcome | PromiseLike<AdapterOutcome>;

/** What `adapter.step` gives: a chunk, or the end (`stopped` once a KeyboardInterrupt ended it). */
export type AdapterStep = {
  chunk?: Uint8Array;
  done?: true;
  error?: HandlerError;
  stopped?: boolean;
};

export interface LoadedPython {
  pyodide: PyodideInterface;
  /** Cancels every pending asyncio task (a run's, and any it left behind). */
  cancelPending: () => void;
  run: AdapterRun;
  step: (id: number, cancel?: boolean) => AdapterStep | PromiseLike<AdapterStep>;
  check: (code: string) => string;
  /** Switches Python's interrupt checks back on, in case a handler switched them off. */
  enableInterrupts: () => void;
  /** The size of Python's wasm memory, which grows as a handler allocates and never shrinks. */
  memoryBytes: () => number;
}

/** The parts of Pyodide's Emscripten module that interrupts go through (not in its types). */
interface EmscriptenSignals {
  HEAP8: Int8Array;
  /** Address of the flag that makes Python read `Py_EmscriptenSignalBuffer` at all. */
  _Py_EMSCRIPTEN_SIGNAL_HANDLING: number;
}

/**
 * Makes `view` Pyodide's interrupt buffer for good. Handler code reaches the Pyodide API as the
 * `pyodide_js` module; through it, it could swap the buffer (`setInterruptBuffer`), or, through
 * the Emscripten module (`_module`), overwrite the buffer or clear the flag in wasm memory that
 * makes Python check it. So `setInterruptBuffer` becomes a no-op, the module's buffer read-only,
 * and `_module` is taken off the API (nothing of Pyodide's own uses it from there; fnpad does not
 * either). Returns what switches the checks back on before each run. Not covered: `ctypes` can
 * write wasm memory directly; the deadline outside the runtime covers that.
 */
function installInterruptBuffer(
  pyodide: PyodideInterface,
  module: EmscriptenSignals,
  view: ArrayLike<number>,
): () => void {
  pyodide.setInterruptBuffer(view as Int32Array);
  const fixed = { writable: false, configurable: false };
  Object.defineProperty(module, "Py_EmscriptenSignalBuffer", { ...fixed, value: view });
  // Configurable: after a fatal error Pyodide redefines every public member as one that throws,
  // and fails half-way if it cannot. A handler that redefines or deletes it gains nothing: the
  // original is gone from this object and the buffer underneath stays fixed.
  Object.defineProperty(pyodide, "setInterruptBuffer", {
    ...fixed,
    configurable: true,
    value: () => {},
  });
  Object.defineProperty(pyodide, "_module", { ...fixed, value: undefined });
  const flag = module._Py_EMSCRIPTEN_SIGNAL_HANDLING;
  // `HEAP8` is read each time: Emscripten replaces the view when wasm memory grows.
  return () => {
    module.HEAP8[flag] = 1;
  };
}

/** `pyodide` with the adapter's entry points and the interrupt buffer `view` installed for good. */
export function loadedPython(pyodide: PyodideInterface, view: ArrayLike<number>): LoadedPython {
  // Restored from the build's snapshot, the adapter is there already with its imports done.
  const { run, step, check, cancelPending } = adapterEntries<AdapterRun, LoadedPython["step"]>(
    pyodide,
  );
  // Taken before the interrupt buffer's install takes the Emscripten module off the API.
  const module = (pyodide as unknown as { _module: EmscriptenSignals })._module;
  // `HEAP8` is read each time: Emscripten replaces the view when wasm memory grows.
  const memoryBytes = () => module.HEAP8.byteLength;
  // Pyodide only indexes the buffer; any object with a numeric index 0 works.
  const enableInterrupts = installInterruptBuffer(pyodide, module, view);
  return { pyodide, run, step, check, cancelPending, enableInterrupts, memoryBytes };
}
