/**
 * Pyodide's big files in the browser. The runner frame's origin is opaque, and Chromium keeps
 * nothing an opaque origin fetches in its HTTP cache (nor can a service worker serve it), so the
 * page — an ordinary origin — fetches them through its caches and hands them to the runner as
 * Blobs, which hands them to the Python worker. Without them the worker fetches for itself.
 */
import type { PythonFiles } from "../runner-protocol.ts";

/** Where Pyodide's files are served (by the app, never a CDN), and their names there. */
export const PYODIDE_PATH = "/pyodide/";
export const WASM_FILE = "pyodide.asm.wasm";
/**
 * The wasm gzipped at build time, as browsers fetch it: a server that compresses on the fly spends
 * ~0.3 s of CPU on its 9.6 MB per visit (`wrangler dev` does, on the cores the page needs), and
 * the stored form is smaller (level 9). The plain file stays for Pyodide loading on its own.
 */
export const WASM_GZ_FILE = `${WASM_FILE}.gz`;
export const STDLIB_FILE = "python_stdlib.zip";
/** The memory snapshot as the build makes it (bundled with the edge's isolates, `edge/sandbox/dist/`). */
export const SNAPSHOT_BIN = "python-snapshot.bin";
/** The same, gzipped, as browsers (and the edge, when it is too big to bundle) fetch it. */
export const SNAPSHOT_FILE = `${SNAPSHOT_BIN}.gz`;
export const ASM_JS_FILE = "pyodide.asm.mjs";

/** Where the page gets the files: `fetch` (or its own way), and a cache that may hold more. */
export interface FileSource {
  /** The response for `url`, as `fetch` gives it. */
  fetch(url: string): Promise<Response>;
  /** The response for `url` if the page's service worker keeps one, without asking the network. */
  cached(url: string): Promise<Response | undefined>;
}

const NETWORK: FileSource = {
  fetch: (url) => fetch(url),
  cached: () => Promise.resolve(undefined),
};

/** The body of `url`; rejects on anything but a 200 of `type` (a missing file may come back as the SPA's HTML). */
async function fetchBlob(source: FileSource, url: string, type: string): Promise<Blob> {
  const response = await source.fetch(url);
  const got = response.headers.get("Content-Type") ?? "";
  if (!response.ok || !got.startsWith(type)) throw new Error(`${url}: ${response.status} ${got}`);
  return response.blob();
}

/** Fetches the files from `base` (an absolute URL ending in `/pyodide/`); the snapshot and the glue may be missing. */
export async function fetchPythonFiles(
  base: string,
  source: FileSource = NETWORK,
): Promise<PythonFiles> {
  const snapshotBin = (await (await source.cached(`${base}${SNAPSHOT_BIN}`))?.blob()) ?? null;
  // The service worker keeps the wasm unzipped (as it does the snapshot): read, not unzipped.
  const wasmBin = (await (await source.cached(`${base}${WASM_FILE}`))?.blob()) ?? null;
  const [wasm, stdlib, snapshotGz, asmJs] = await Promise.all([
    wasmBin ?? fetchBlob(source, `${base}${WASM_GZ_FILE}`, "application/gzip"),
    fetchBlob(source, `${base}${STDLIB_FILE}`, "application/zip"),
    snapshotBin
      ? null
      : fetchBlob(source, `${base}${SNAPSHOT_FILE}`, "application/gzip").catch(() => null),
    fetchBlob(source, `${base}${ASM_JS_FILE}`, "text/javascript").catch(() => null),
  ]);
  return { wasm, wasmGzipped: wasmBin === null, stdlib, snapshotGz, snapshotBin, asmJs };
}

/** Gunzips a snapshot. */
export function gunzip(gzipped: Blob): Promise<ArrayBuffer> {
  const stream = gzipped.stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}

/** The wasm as `WebAssembly.compileStreaming` takes it: unzipped as it is read, when gzipped. */
export function wasmResponse(files: PythonFiles): Response {
  const body = files.wasmGzipped
    ? files.wasm.stream().pipeThrough(new DecompressionStream("gzip"))
    : files.wasm;
  return new Response(body, { headers: { "Content-Type": "application/wasm" } });
}

/**
 * Runs `load` with `fetch` answering the wasm and the stdlib from `files` (Pyodide fetches them
 * from its index URL while it loads); every other URL goes to the real `fetch`. Put back after.
 */
export async function withFilesServed<T>(
  indexUrl: string,
  files: PythonFiles,
  load: () => Promise<T>,
): Promise<T> {
  const realFetch = globalThis.fetch;
  const served: Record<string, () => Response> = {
    [`${indexUrl}${WASM_FILE}`]: () => wasmResponse(files),
    [`${indexUrl}${STDLIB_FILE}`]: () =>
      new Response(files.stdlib, { headers: { "Content-Type": "application/zip" } }),
  };
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const file = served[url];
    return file ? Promise.resolve(file()) : realFetch(input, init);
  };
  try {
    return await load();
  } finally {
    globalThis.fetch = realFetch;
  }
}
