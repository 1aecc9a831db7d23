/**
 * Restores a Pyodide memory snapshot as it streams in, straight into the wasm memory, instead of
 * from a 30 MB buffer: the isolate never holds a copy of the snapshot beside its memory, and the
 * snapshot's zero pages (about half of it) are not written, so the pages of linear memory
 * under them stay untouched and take no physical memory.
 */

/** A snapshot as the parent sends it over RPC: its size, then its bytes. */
export interface SnapshotStream {
  size: number;
  body: ReadableStream<Uint8Array>;
}

/** Linux's page size: the unit in which untouched memory stays free. */
const PAGE = 4096;

/** Pyodide's snapshot header starts with u32 magic, u32 size of the header (where the image starts). */
const HEADER_SIZE_AT = 4;

/** Reads from `reader` until `bytes` are buffered; returns them and what else came. */
async function readAtLeast(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  buffered: Uint8Array,
  bytes: number,
): Promise<Uint8Array> {
  let data = buffered;
  while (data.length < bytes) {
    const { done, value } = await reader.read();
    if (done) throw new Error("the snapshot ended inside its header");
    const joined = new Uint8Array(data.length + value.length);
    joined.set(data);
    joined.set(value, data.length);
    data = joined;
  }
  return data;
}

/**
 * Whether every byte is zero; read as 32-bit words where aligned (a new version's first call
 * checks 30 MB this way: words take a third of the time bytes do, before the JIT warms up).
 */
function isZero(bytes: Uint8Array): boolean {
  if (bytes.byteOffset % 4 === 0 && bytes.length % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    for (let i = 0; i < words.length; i += 1) if (words[i] !== 0) return false;
    return true;
  }
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Copies `bytes` to `memory` at `at`, page by page, skipping a page where both are zero: a
 * zero page of a fresh wasm memory has never been touched, and reading it does not commit it.
 */
function writeSparse(memory: Uint8Array, at: number, bytes: Uint8Array): void {
  let from = 0;
  while (from < bytes.length) {
    const to = Math.min(bytes.length, from + PAGE - ((at + from) % PAGE));
    const source = bytes.subarray(from, to);
    const target = memory.subarray(at + from, at + to);
    if (!(isZero(source) && isZero(target))) target.set(source);
    from = to;
  }
}

/** `ArrayBuffer.prototype.transfer` (ES2024; absent from the Workers types). */
type Transferable = ArrayBuffer & { transfer?(length: number): ArrayBuffer };

/**
 * Frees `buffer`'s bytes now, by detaching it. Left to the garbage collector, what a restore
 * leaves behind (the 30 MB of chunks, the stdlib as it came over RPC) can outlive it for good:
 * an isolate that does little after the restore (the adapter is in the snapshot) may go idle
 * without a collection (measured: ~9 MB more per isolate when nothing was freed).
 */
export function releaseBuffer(buffer: ArrayBuffer): void {
  (buffer as Transferable).transfer?.(0);
}

/** Frees a chunk's bytes now, if it alone covers its buffer. */
function release(chunk: Uint8Array): void {
  if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength) {
    releaseBuffer(chunk.buffer as ArrayBuffer);
  }
}

/** A snapshot being read: its header now, its memory image once the wasm memory exists. */
export interface PendingSnapshot {
  /** The header alone: what Pyodide's own restore reads (it then copies an empty image). */
  header: Uint8Array;
  /** Streams the memory image into `memory` (Pyodide's `HEAPU8`, before its restore runs). */
  writeInto(memory: Uint8Array): Promise<void>;
}

/** Reads the header of `snapshot`, leaving its memory image in the stream. */
export async function readSnapshotHeader(snapshot: SnapshotStream): Promise<PendingSnapshot> {
  const reader = snapshot.body.getReader();
  const start = await readAtLeast(reader, new Uint8Array(0), HEADER_SIZE_AT + 4);
  const headerSize = new DataView(start.buffer, start.byteOffset).getUint32(HEADER_SIZE_AT, true);
  const buffered = await readAtLeast(reader, start, headerSize);
  return {
    header: buffered.slice(0, headerSize),
    async writeInto(memory) {
      let at = buffered.length - headerSize;
      writeSparse(memory, 0, buffered.subarray(headerSize));
      release(buffered);
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        // The wasm declares its initial memory (30 MB), the size of the snapshot's image.
        if (at + value.length > memory.length) throw new Error("the snapshot outgrew the memory");
        writeSparse(memory, at, value);
        at += value.length;
        release(value);
      }
      if (at !== snapshot.size - headerSize) throw new Error("the snapshot was cut short");
    },
  };
}
