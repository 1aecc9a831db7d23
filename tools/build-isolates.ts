/**
 * Builds what the edge hands to snippet isolates, into `edge/sandbox/dist/` (gitignored):
 * - `python-isolate.txt`, `typescript-isolate.txt`: the isolate main modules (`edge/sandbox/isolate/*.ts`,
 *   which import the browser's runtime glue from `workers/`), each bundled into one JavaScript
 *   file, imported by the edge as text (wrangler's default Text rule for `*.txt`);
 * - `python-snapshot.bin`: a Pyodide memory snapshot made in workerd (`build-snapshot.ts`), so a
 *   new Python isolate restores Python instead of booting it (a Data module, `*.bin`).
 * With `--snapshot-as-asset` (deploy: the 30 MB snapshot would take the bundle over Workers' 10 MB
 * gzip limit), `python-snapshot.bin` is left empty and the snapshot is written gzipped to the
 * static assets instead (`dist/pyodide/python-snapshot.bin.gz`, so run it after `vite build`);
 * the edge then fetches it from `ASSETS` (`edge/sandbox/pyodide-files.ts`).
 * Run by `npm run build:isolates` (part of dev, test:edge, test:deploy and deploy). The output
 * depends only on the sources; the snapshot is remade only when its inputs change.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { SNAPSHOT_BIN, SNAPSHOT_FILE } from "../workers/python/browser-files.ts";
import { snapshotFor } from "./build-snapshot.ts";
import { pythonAsText } from "./esbuild-python-text.ts";

/** The edge sandbox, whose isolate modules this bundles and whose `dist/` it writes. */
const here = new URL("../edge/sandbox/", import.meta.url);
const dist = new URL("dist/", here);

const pyodideLock = JSON.parse(
  readFileSync(new URL("../../node_modules/pyodide/pyodide-lock.json", here), "utf8"),
);

/**
 * Bundles one isolate main module into a single ES module's source text. Python's (and the
 * snapshot maker's, which runs the same glue at build time) is minified:
 * a new isolate parses all of it before its first call (Pyodide's glue, 1.6 MB as esbuild lays
 * it out, 1.1 MB minified), and that was measured at ~15 ms of a new Python version's ~200 ms.
 * TypeScript's (30 KB) is left readable.
 */
async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [new URL(`isolate/${entry}.ts`, here).pathname],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2023",
    mainFields: ["module", "main"],
    // Modules the parent passes in, workerd's built-ins, and Node-only paths Pyodide never takes here.
    external: ["cloudflare:*", "node:*", "ws", "./snippet.py", "./*.wasm", "./*.zip", "./*.bin"],
    plugins: [pythonAsText],
    define: { PYODIDE_LOCK_INFO: JSON.stringify(pyodideLock.info) },
    minify: entry.startsWith("python"),
    legalComments: "none",
    logLevel: "warning",
    write: false,
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild wrote nothing for isolate/${entry}.ts`);
  return output.text;
}

mkdirSync(dist, { recursive: true });
for (const language of ["python", "typescript"]) {
  writeFileSync(new URL(`${language}-isolate.txt`, dist), await bundle(language));
}
const snapshot = await snapshotFor(
  await bundle("python-snapshot"),
  new URL("python-snapshot.cache", dist),
);
const bundled = new URL(SNAPSHOT_BIN, dist);
if (process.argv.includes("--snapshot-as-asset")) {
  const assets = new URL("../../dist/pyodide/", here);
  mkdirSync(assets, { recursive: true });
  writeFileSync(new URL(SNAPSHOT_FILE, assets), gzipSync(snapshot));
  writeFileSync(bundled, new Uint8Array());
} else {
  writeFileSync(bundled, snapshot);
}
