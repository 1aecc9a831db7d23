/**
 * The Pyodide files a Python isolate boots from. The wasm and the stdlib are bundled with the
 * edge; the memory snapshot is bundled for dev and tests, but in a deploy build it is too big
 * for the bundle (see `tools/build-isolates.ts`) and comes gzipped from the static assets, fetched once per
 * edge instance. Only the wasm is an isolate module; the stdlib and the snapshot are passed over
 * RPC when the isolate boots (`isolate/python.ts`), so that the isolate can let go of them.
 */
import { RpcTarget } from "cloudflare:workers";
import { PYODIDE_PATH, SNAPSHOT_FILE } from "../../workers/python/browser-files.ts";
import type { PythonBootFiles } from "./isolate/python.ts";
import { type PackedSnapshot, packSnapshot } from "./isolate/snapshot-pages.ts";
import type { SnapshotStream } from "./isolate/snapshot-stream.ts";

/**
 * Imported when the first Python isolate is made, not when the edge starts: they are 40 MB, and
 * most requests (the API, TS endpoints, warm Python isolates) never need them.
 */
async function bundledFiles() {
  const [wasm, stdlib, snapshot] = await Promise.all([
    import("pyodide/pyodide.asm.wasm"),
    import("pyodide/python_stdlib.zip"),
    import("./dist/python-snapshot.bin"), // `SNAPSHOT_BIN`, a literal so that the bundler sees it
  ]);
  return { wasm: wasm.default, stdlib: stdlib.default, snapshot: snapshot.default };
}

/** Where `tools/build-isolates.ts --snapshot-as-asset` puts the snapshot in the static assets. */
const SNAPSHOT_ASSET = `https://assets.invalid${PYODIDE_PATH}${SNAPSHOT_FILE}`;

async function fetchSnapshot(assets: Fetcher): Promise<Uint8Array> {
  const response = await assets.fetch(SNAPSHOT_ASSET);
  if (!response.ok || !response.body) throw new Error(`${SNAPSHOT_ASSET}: ${response.status}`);
  const unzipped = response.body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(unzipped).arrayBuffer());
}

/** The snapshot this instance packed for new isolates (`packSnapshot`), once. */
let packed: Promise<PackedSnapshot> | undefined;

/**
 * The snapshot, packed, or `null` when there is none to be had: the isolate then boots Python
 * the slow way rather than failing. A snapshot fetched from the assets is let go once packed; a
 * bundled one stays in memory with its module.
 */
async function packedSnapshot(assets: Fetcher): Promise<PackedSnapshot | null> {
  packed ??= (async () => {
    const { snapshot } = await bundledFiles();
    const full = snapshot.byteLength > 0 ? new Uint8Array(snapshot) : await fetchSnapshot(assets);
    return packSnapshot(full);
  })();
  try {
    return await packed;
  } catch (error) {
    console.error("No Pyodide snapshot; Python isolates will boot without one:", error);
    packed = undefined;
    return null;
  }
}

/** The Pyodide modules of a Python isolate, named as `isolate/python.ts` imports them. */
export async function pyodideModules(): Promise<WorkerLoaderWorkerCode["modules"]> {
  const bundled = await bundledFiles();
  return { "pyodide.asm.wasm": { wasm: bundled.wasm } };
}

/**
 * When a boot reached each step, as this process saw it (`performance.now()`; its clock moves
 * when the isolate calls back, which is when these are noted): for the bench's breakdown of a
 * new Python version's first call.
 */
export interface BootTimeline {
  /** The isolate asked for its boot files: it exists and its modules are loaded. */
  askedAt?: number;
  /** The boot files were ready to send (the snapshot fetched and unzipped, in a deploy build). */
  filesAt?: number;
  /** The isolate took the snapshot's last chunk. */
  snapshotAt?: number;
}

/**
 * What a new Python isolate asks for when it boots: passed only to the run of an isolate that
 * said it has not booted (`loader.ts`), and each file only once, so that nothing in an isolate
 * can make this process stream 30 MB again and again.
 */
export class PythonBootFilesTarget extends RpcTarget implements PythonBootFiles {
  readonly #assets: Fetcher;
  readonly #timeline: BootTimeline;
  readonly #handedOut = new Set<"stdlib" | "snapshot">();

  constructor(assets: Fetcher, timeline: BootTimeline = {}) {
    super();
    this.#assets = assets;
    this.#timeline = timeline;
  }

  /** Refuses a file asked for a second time. */
  #once(file: "stdlib" | "snapshot"): void {
    if (this.#handedOut.has(file)) throw new Error(`the boot file ${file} was handed out already`);
    this.#handedOut.add(file);
  }

  async stdlib(): Promise<ArrayBuffer> {
    this.#once("stdlib");
    this.#timeline.askedAt ??= performance.now();
    return (await bundledFiles()).stdlib;
  }

  async snapshot(): Promise<SnapshotStream | undefined> {
    this.#once("snapshot");
    const timeline = this.#timeline;
    timeline.askedAt ??= performance.now();
    const snapshot = await packedSnapshot(this.#assets);
    timeline.filesAt = performance.now();
    if (!snapshot) return undefined;
    const done = () => {
      timeline.snapshotAt = performance.now();
    };
    const { imageSize, runs, bytes } = snapshot;
    return { imageSize, runs, body: streamOf(bytes, done) };
  }
}

/** The largest chunk of the stream `streamOf` makes. */
const CHUNK_BYTES = 1 << 20;

/**
 * `bytes` as a stream of views, so that nothing is copied here: the one copy this instance holds
 * is shared by every isolate that boots (a `bytes` stream would detach the buffer).
 */
function streamOf(bytes: Uint8Array, onEnd: () => void): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = Math.min(CHUNK_BYTES, bytes.length - at);
      controller.enqueue(bytes.subarray(at, at + size));
      at += size;
      if (at >= bytes.length) {
        controller.close();
        onEnd();
      }
    },
  });
}
