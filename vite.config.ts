import { execFile } from "node:child_process";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { constants, gzip } from "node:zlib";
import { defineConfig, type Plugin } from "vite";
import {
  precacheManifest,
  SERVICE_WORKER_ENTRY,
  SERVICE_WORKER_FILE,
} from "./tools/precache-manifest.ts";
import { rawPython } from "./tools/vite-raw-python.ts";
import { inlineRunnerSources } from "./tools/vite-runner-sources.ts";
import {
  SNAPSHOT_BIN,
  SNAPSHOT_FILE,
  WASM_FILE,
  WASM_GZ_FILE,
} from "./workers/python/browser-files.ts";

const root = fileURLToPath(new URL(".", import.meta.url));
const pyodideDir = `${root}node_modules/pyodide/`;

/** The Pyodide files the browser loads; served by the app itself, never from a CDN. */
const PYODIDE_FILES: Record<string, string> = {
  "pyodide.mjs": "text/javascript",
  "pyodide.asm.mjs": "text/javascript",
  "pyodide.asm.wasm": "application/wasm",
  "python_stdlib.zip": "application/zip",
};

/**
 * The Pyodide memory snapshot the edge restores, gzipped (31 MB → 5.7 MB). `tools/build-isolates.ts`
 * makes it in workerd and remakes it only when its inputs change; a snapshot made there restores
 * in Chromium too (one made by Node's Pyodide does not restore in workerd).
 */
async function gzippedSnapshot(): Promise<Buffer> {
  await promisify(execFile)(process.execPath, [`${root}tools/build-isolates.ts`], { cwd: root });
  return promisify(gzip)(await readFile(`${root}edge/sandbox/dist/${SNAPSHOT_BIN}`));
}

/** Pyodide's wasm gzipped once, at build, as browsers fetch it (`WASM_GZ_FILE`). */
async function gzippedWasm(): Promise<Buffer> {
  const wasm = await readFile(pyodideDir + WASM_FILE);
  return promisify(gzip)(wasm, { level: constants.Z_BEST_COMPRESSION });
}

/** Serves `node_modules/pyodide/*` at `/pyodide/` in dev and copies those files to `dist/pyodide/` at build. */
function pyodideAssets(): Plugin {
  const gzipped: Record<string, () => Promise<Buffer>> = {
    [SNAPSHOT_FILE]: gzippedSnapshot,
    [WASM_GZ_FILE]: gzippedWasm,
  };
  const made = new Map<string, Promise<Buffer>>();
  return {
    name: "fnpad:pyodide-assets",
    configureServer(server) {
      server.middlewares.use("/pyodide", (req, res, next) => {
        const name = (req.url ?? "").replace(/^\//, "").split("?")[0] ?? "";
        const make = gzipped[name];
        if (make) {
          const bytes = made.get(name) ?? make();
          made.set(name, bytes);
          bytes.then((body) => {
            res.setHeader("Content-Type", "application/gzip");
            res.end(body);
          }, next);
          return;
        }
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
      for (const [name, make] of Object.entries(gzipped)) {
        this.emitFile({ type: "asset", fileName: `pyodide/${name}`, source: await make() });
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
  plugins: [rawPython(), pyodideAssets(), inlineRunnerSources(), precacheManifest()],
  worker: { format: "es", plugins: () => [rawPython()] },
  build: {
    outDir: "../dist",
    emptyOutDir: true,
    target: "es2023",
    chunkSizeWarningLimit: 8000,
    // Chromium preloads modules itself; without the polyfill the runner document's script imports
    // nothing and can be written into its document (`tools/vite-runner-sources.ts`).
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // The app; the runner, the opaque-origin document that owns the handler workers; and the
      // service worker, at the root so that it serves the whole app.
      input: {
        app: `${root}web/index.html`,
        runner: `${root}web/runner.html`,
        [SERVICE_WORKER_ENTRY]: `${root}web/sw/service-worker.ts`,
      },
      output: {
        entryFileNames: (chunk) =>
          chunk.name === SERVICE_WORKER_ENTRY ? SERVICE_WORKER_FILE : "assets/[name]-[hash].js",
      },
    },
  },
  optimizeDeps: { exclude: ["pyodide"] },
  server: { headers: isolationHeaders, fs: { allow: [root] } },
  preview: { headers: isolationHeaders },
});
