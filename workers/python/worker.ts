/**
 * The Python Web Worker: Pyodide served by the app from `/pyodide/` (never a CDN), restored from
 * the memory snapshot the edge restores too (made in workerd at build time; see
 * `edge/sandbox/build.ts`), so that Python is not booted from scratch in the page.
 */
import { expose } from "comlink";
import { loadPyodide, type PyodideInterface } from "pyodide";
import { info } from "pyodide/pyodide-lock.json";
import type { ProgressSink } from "../protocol.ts";
import { PythonRuntime } from "./runtime.ts";

/**
 * Absolute: the worker may run from a `blob:` URL (the runner frame starts it that way), against
 * which a path would not resolve.
 */
const INDEX_URL = new URL("/pyodide/", import.meta.url).href;

/** A lock file without packages: none are served (there is no CDN), so none can be installed. */
const LOCK_FILE = JSON.stringify({ info, packages: {} });

const SNAPSHOT_URL = `${INDEX_URL}python-snapshot.bin.gz`;

/** The unzipped snapshot; rejects when there is none to be had. */
async function fetchSnapshot(): Promise<ArrayBuffer> {
  const response = await fetch(SNAPSHOT_URL);
  // A missing file may come back as the app's HTML page (single-page-app fallback).
  const type = response.headers.get("Content-Type");
  if (!response.ok || !response.body || type !== "application/gzip") {
    throw new Error(`${SNAPSHOT_URL}: ${response.status} ${type}`);
  }
  return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
}

/**
 * Loads Pyodide from the snapshot; without one, Python boots the slow way. The snapshot and the
 * wasm download side by side; Pyodide compiles the wasm once it has the snapshot (it sizes the
 * memory from it). Compiling the wasm here in the meantime and handing it over measured no faster
 * on this 2-core machine: the CPU, not the order, is the limit.
 */
async function startPyodide(): Promise<PyodideInterface> {
  const snapshot = fetchSnapshot();
  const options = { indexURL: INDEX_URL, lockFileContents: LOCK_FILE };
  try {
    return await loadPyodide({ ...options, _loadSnapshot: snapshot });
  } catch (error) {
    const missing = await snapshot.then(
      () => null,
      (why: unknown) => why,
    );
    if (!missing) throw error;
    console.warn(`No Pyodide snapshot (${String(missing)}); booting Python without one`);
    return loadPyodide(options);
  }
}

// Python starts loading as soon as the worker does, not when the page first asks for it.
let starting: Promise<PyodideInterface> | undefined = startPyodide();
starting.catch(() => {});

async function bootInBrowser(onProgress?: ProgressSink) {
  onProgress?.({ stage: "Downloading Python", fraction: 0 });
  // A retry after a failed start starts afresh.
  const booting = starting ?? startPyodide();
  starting = undefined;
  const pyodide = await booting;
  onProgress?.({ stage: "Starting Python", fraction: 0.9 });
  return pyodide;
}

/** What the main thread's Comlink `Remote` wraps. */
export type PythonWorkerApi = PythonRuntime;

expose(new PythonRuntime(bootInBrowser));
