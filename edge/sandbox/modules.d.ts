/** Binary files bundled as `Data` modules (wrangler rule in `wrangler.jsonc`): their bytes. */
declare module "*.zip" {
  const bytes: ArrayBuffer;
  export default bytes;
}

/** Pyodide's ES module entry, imported by path so that bundlers keep it apart from `pyodide.asm.mjs`. */
declare module "pyodide/pyodide.mjs" {
  export { loadPyodide } from "pyodide";
}

/** Emscripten's module factory, handed to `loadPyodide` as `createPyodideModule`. */
declare module "pyodide/pyodide.asm.mjs" {
  type LoadOptions = NonNullable<Parameters<typeof import("pyodide").loadPyodide>[0]>;
  const createPyodideModule: NonNullable<LoadOptions["createPyodideModule"]>;
  export default createPyodideModule;
}

/**
 * Pyodide's wasm: bytes under the app's `Data` rule (the loader compiles them for each isolate), or
 * a module compiled once under the runner processes' `CompiledWasm` rule (see `pyodide-files.ts`).
 */
declare module "pyodide/pyodide.asm.wasm" {
  const wasm: ArrayBuffer | WebAssembly.Module;
  export default wasm;
}

/** workerd's `AsyncLocalStorage` (compatibility flag `nodejs_als`), as much of it as isolates use. */
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    run<R>(store: T, work: () => R): R;
    getStore(): T | undefined;
  }
}
