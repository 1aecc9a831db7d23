import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { rawPython } from "./workers/vite-raw-python.ts";

const root = fileURLToPath(new URL(".", import.meta.url));
const pyodideDir = `${root}node_modules/pyodide/`;

/** The Pyodide files the browser loads; served by the app itself, never from a CDN. */
const PYODIDE_FILES: Record<string, string> = {
  "pyodide.mjs": "text/javascript",
  "pyodide.asm.mjs": "text/javascript",
  "pyodide.asm.wasm": "application/wasm",
  "python_stdlib.zip": "application/zip",
  "pyodide-lock.json": "application/json",
};

/** Serves `node_modules/pyodide/*` at `/pyodide/` in dev and copies those files to `dist/pyodide/` at build. */
function pyodideAssets(): Plugin {
  return {
    name: "fnpad:pyodide-assets",
    configureServer(server) {
      server.middlewares.use("/pyodide", (req, res, next) => {
        const name = (req.url ?? "").replace(/^\//, "").split("?")[0] ?? "";
        const type = PYODIDE_FILES[name];
        if (!type) return next();
        res.setHeader("Content-Type", type);
        createReadStream(pyodideDir + name).pipe(res);
      });
    },
    async generateBundle() {
      for (const name of Object.keys(PYODIDE_FILES)) {
        this.emitFile({
          type: "asset",
          fileName: `pyodide/${name}`,
          source: await readFile(pyodideDir + name),
        });
      }
    },
  };
}

/** Cross-origin isolation, so Python can be interrupted through a SharedArrayBuffer (also set in `web/public/_headers`). */
const isolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  root: "web",
  publicDir: "public",
  plugins: [rawPython(), pyodideAssets()],
  worker: { format: "es", plugins: () => [rawPython()] },
  build: { outDir: "../dist", emptyOutDir: true, target: "es2023", chunkSizeWarningLimit: 8000 },
  optimizeDeps: { exclude: ["pyodide"] },
  server: { headers: isolationHeaders, fs: { allow: [root] } },
  preview: { headers: isolationHeaders },
});
