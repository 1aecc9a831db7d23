/**
 * Evaluated before Pyodide's own modules (imported first by `python.ts`), so that Pyodide takes
 * its browser/workerd path: workerd exposes `process.versions.node`, which would send Pyodide
 * (and Emscripten) down the Node path of `node:fs` and `require("ws")`. Pyodide also resolves
 * its file URLs against `location`, which workerd does not define.
 */
Object.defineProperty(globalThis, "process", { value: undefined, configurable: true });
Object.defineProperty(globalThis, "location", {
  value: new URL("https://pyodide.invalid/"),
  configurable: true,
});

/** `WebAssembly.compile`, which the Workers types leave out (workerd refuses it anyway). */
const wasmApi = WebAssembly as unknown as { compile(bytes: BufferSource): Promise<unknown> };
const compile = wasmApi.compile;

/**
 * While Pyodide's modules evaluate, `WebAssembly.compile` fails at once: Pyodide probes it with a
 * tiny module and falls back to JavaScript when compiling is refused, as workerd does. Refused
 * synchronously, the probe settles right away, instead of leaving a promise that workerd's hang
 * detection may find still pending when a fast (snapshot) boot awaits it.
 */
wasmApi.compile = () =>
  Promise.reject(new WebAssembly.CompileError("compiling wasm at run time is not allowed here"));

/** Puts `WebAssembly.compile` back; called once Pyodide's modules have been evaluated. */
export function restoreWasmCompile(): void {
  wasmApi.compile = compile;
}
