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
