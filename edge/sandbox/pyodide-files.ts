/**
 * The Pyodide files a Python isolate boots from. The wasm and the stdlib are bundled with the
 * edge; the memory snapshot is bundled for dev and tests, but in a deploy build it is too big
 * for the bundle (see `build.ts`) and comes gzipped from the static assets, fetched once per
 * edge instance.
 */

import pyodideWasm from "pyodide/pyodide.asm.wasm";
import stdlib from "pyodide/python_stdlib.zip";
import bundledSnapshot from "./dist/python-snapshot.bin";

/** Where `build.ts --snapshot-as-asset` puts the snapshot in the static assets. */
const SNAPSHOT_ASSET = "https://assets.invalid/pyodide/python-snapshot.bin.gz";

let snapshotFromAssets: Promise<ArrayBuffer> | undefined;

async function fetchSnapshot(assets: Fetcher): Promise<ArrayBuffer> {
  const response = await assets.fetch(SNAPSHOT_ASSET);
  if (!response.ok || !response.body) throw new Error(`${SNAPSHOT_ASSET}: ${response.status}`);
  const unzipped = response.body.pipeThrough(new DecompressionStream("gzip"));
  return new Response(unzipped).arrayBuffer();
}

/**
 * The snapshot, or an empty buffer when there is none to be had: the isolate then boots Python
 * the slow way rather than failing.
 */
async function snapshot(assets: Fetcher): Promise<ArrayBuffer> {
  if (bundledSnapshot.byteLength > 0) return bundledSnapshot;
  snapshotFromAssets ??= fetchSnapshot(assets);
  try {
    return await snapshotFromAssets;
  } catch (error) {
    console.error("No Pyodide snapshot; Python isolates will boot without one:", error);
    snapshotFromAssets = undefined;
    return new ArrayBuffer(0);
  }
}

/** The Pyodide modules of a Python isolate, named as `isolate/python.ts` imports them. */
export async function pyodideModules(assets: Fetcher): Promise<WorkerLoaderWorkerCode["modules"]> {
  return {
    "pyodide.asm.wasm": { wasm: pyodideWasm },
    "python_stdlib.zip": { data: stdlib },
    "python-snapshot.bin": { data: await snapshot(assets) },
  };
}
