/**
 * Build step for the service worker (`web/sw/service-worker.ts`, built to `/sw.js`): writes into
 * it the list of the build's files and a version hashed from all of them, so that the worker
 * caches exactly this build's files under a name no other build shares.
 */
import { createHash } from "node:crypto";
import type { Plugin } from "vite";

/** The service worker's entry name in the build's inputs. */
export const SERVICE_WORKER_ENTRY = "sw";
/** Where it is served: at the root, so that its scope is the whole app. */
export const SERVICE_WORKER_FILE = "sw.js";

/** How the build's gzipped files end (the service worker keeps each unzipped beside it). */
const GZIP_SUFFIX = ".gz";

/** The manifest the service worker reads (`self.FNPAD_PRECACHE`). */
export interface PrecacheManifest {
  /** A hash of every file's name and bytes: a new build gets a new cache. */
  version: string;
  /** The paths the files are served at. */
  urls: string[];
}

/** The path a build file is served at: Workers' assets serve `x.html` at `/x` and `index.html` at `/`. */
export function servedPath(fileName: string): string {
  if (fileName === "index.html") return "/";
  return `/${fileName.replace(/\.html$/, "")}`;
}

export function precacheManifest(): Plugin {
  return {
    name: "fnpad:precache-manifest",
    generateBundle: {
      // After every other plugin has emitted its files (Pyodide's, the HTML documents).
      order: "post",
      handler(_options, bundle) {
        const files = Object.values(bundle).sort((a, b) => a.fileName.localeCompare(b.fileName));
        const worker = files.find((file) => file.fileName === SERVICE_WORKER_FILE);
        if (worker?.type !== "chunk") throw new Error(`${SERVICE_WORKER_FILE} was not built`);
        const names = new Set(files.map((file) => file.fileName));
        // A file built gzipped too (Pyodide's wasm) is cached in that form only: the service
        // worker unzips it into the cache itself, rather than fetch its bytes twice.
        const cached = files.filter(
          (file) =>
            file !== worker &&
            !file.fileName.endsWith(".map") &&
            !names.has(`${file.fileName}${GZIP_SUFFIX}`),
        );
        const hash = createHash("sha256");
        for (const file of cached) {
          hash.update(`${file.fileName}\0`);
          hash.update(file.type === "chunk" ? file.code : file.source);
        }
        const manifest: PrecacheManifest = {
          version: hash.digest("hex").slice(0, 20),
          urls: cached.map((file) => servedPath(file.fileName)),
        };
        worker.code = `self.FNPAD_PRECACHE = ${JSON.stringify(manifest)};\n${worker.code}`;
      },
    },
  };
}
