/**
 * Builds the `fnpad` command for an installed package (`npm pack` runs this as `prepack`): one
 * JavaScript module, `cli/dist/main.js`, with the CLI, and `cli/dist/run-child.js`, the restricted
 * child Node `fnpad run` starts, with the browser's runtimes it runs handlers through. Node strips TypeScript only outside `node_modules`, so an installed package cannot run
 * `cli/main.ts` as a checkout does; this file runs on Node 20 and later. Pyodide stays an import
 * (a dependency of the package): it finds its wasm and stdlib beside its own module.
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { pythonAsText } from "./esbuild-python-text.ts";

const root = new URL("../", import.meta.url);

await build({
  entryPoints: ["cli/main.ts", "cli/run-child.ts"].map((entry) =>
    fileURLToPath(new URL(entry, root)),
  ),
  outdir: fileURLToPath(new URL("cli/dist/", root)),
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["pyodide"],
  plugins: [pythonAsText],
  // Bundled CommonJS (sucrase) may call `require` for Node's built-ins.
  banner: {
    js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
  },
  legalComments: "none",
  logLevel: "warning",
});
