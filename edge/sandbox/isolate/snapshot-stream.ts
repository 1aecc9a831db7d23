/**
 * Restores a Pyodide memory snapshot as it streams in, straight into the wasm memory, instead of
 * from a 30 MB buffer: the isolate never holds a copy of the snapshot beside its memory, and the
 * snapshot's zero pages (about half of it) are neither sent nor written, so the pages of linear
 * memory under them stay untouched and take no physical memory.
 */
import { HEADER_START, headerSizeOf, isZero, PAGE, type PackedSnapshot } from "./snapshot-pages.ts";

/**
 * A snapshot as the parent sends it over RPC: its header, then only the image's pages that are
 * not all zero (`snapshot-pages.ts`), back to back.
 */
export interface SnapshotStream extends Pick<PackedSnapshot, "imageSize" | "runs"> {
  /** The packed snapshot's bytes: the header, then the bytes of `runs`, in order. */
  body: ReadableStream<Uint8Array>;
}

/** The most a piece of the stream holds: the one scratch buffer its pieces are read into. */
const PIECE_BYTES = 1 << 20;

/** workerd's BYOB reader fills a view up to at least `min` bytes in one read, however the bytes come. */
type FillingReader = ReadableStreamBYOBReader & {
  readAtLeast?(min: number, view: Uint8Array): Promise<ReadableStreamReadResult<Uint8Array>>;
};

/**
 * The stream's bytes in pieces of up to `PIECE_BYTES`, each valid until the next is asked for.
 * Over RPC a stream arrives in pieces of ~4 KB, and each read of one costs a turn of the event
 * loop: ~3,500 of them for a snapshot. A byte stream (as RPC gives) is read instead into one
 * buffer, filled in a single read where the runtime can (workerd's `readAtLeast`). Left before
 * its end (the restore failed), the stream is cancelled.
 */
async function* piecesOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  let reader: FillingReader;
  try {
    reader = body.getReader({ mode: "byob" }) as FillingReader;
  } catch {
    yield* chunksOf(body.getReader());
    return;
  }
  let buffer = new ArrayBuffer(PIECE_BYTES);
  let ended = false;
  try {
    while (!ended) {
      const view = new Uint8Array(buffer);
      const { done, value } = reader.readAtLeast
        ? await reader.readAtLeast(PIECE_BYTES, view)
        : await reader.read(view);
      if (value) buffer = value.buffer as ArrayBuffer;
      ended = done;
      if (value?.length) yield value;
    }
  } finally {
    if (!ended) reader.cancel().catch(() => {});
    // Detached already when a read failed: it took the buffer with it.
    releaseBuffer(buffer);
  }
}

/** A stream that is not a byte stream: its own chunks, as they come, each freed once used. */
async function* chunksOf(
  chunks: ReadableStreamDefaultReader<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  let ended = false;
  try {
    while (!ended) {
      const { done, value } = await chunks.read();
      ended = done;
      if (value) {
        yield value;
        release(value);
      }
    }
  } finally {
    if (!ended) chunks.cancel().catch(() => {});
  }
}

/** Takes bytes from `pieces` until `bytes` are buffered; returns a copy of them and what else came. */
async function readAtLeast(
  pieces: AsyncGenerator<Uint8Array>,
  buffered: Uint8Array,
  bytes: number,
): Promise<Uint8Array> {
  let data = buffered;
  while (data.length < bytes) {
    const { done, value } = await pieces.next();
    if (done) throw new Error("the snapshot ended inside its header");
    const joined = new Uint8Array(data.length + value.length);
    joined.set(data);
    joined.set(value, data.length);
    data = joined;
  }
  return data;
}

/** Checks that `runs` are in order, page aligned and inside an image of `imageSize` bytes. */
function checkRuns(runs: readonly number[], imageSize: number): void {
  let end = 0;
  for (let i = 0; i < runs.length; i += 2) {
    const start = runs[i] ?? -1;
    const length = runs[i + 1] ?? 0;
    if (start < end || start % PAGE !== 0 || length <= 0 || start + length > imageSize)
      throw new Error("the snapshot's runs of pages are out of order or out of bounds");
    end = start + length;
  }
}

/**
 * Zeroes the pages of `memory` below `imageSize` that no run covers, where they are not zero
 * already (the wasm's data segments were written there when it was instantiated). A page of a
 * fresh wasm memory that reads as zero has never been touched, and reading it does not commit it.
 */
function zeroGaps(memory: Uint8Array, runs: readonly number[], imageSize: number): void {
  let gapStart = 0;
  for (let i = 0; i <= runs.length; i += 2) {
    const gapEnd = runs[i] ?? imageSize;
    for (let at = gapStart; at < gapEnd; at += PAGE) {
      const page = memory.subarray(at, Math.min(gapEnd, at + PAGE));
      if (!isZero(page)) page.fill(0);
    }
    gapStart = gapEnd + (runs[i + 1] ?? 0);
  }
}

/** Writes the bytes of `runs`, as they arrive in chunks, to where they go in `memory`. */
function runWriter(memory: Uint8Array, runs: readonly number[]) {
  let run = 0;
  let written = 0;
  return {
    write(chunk: Uint8Array): void {
      let from = 0;
      while (from < chunk.length) {
        const start = runs[run];
        const length = runs[run + 1];
        if (start === undefined || length === undefined)
          throw new Error("the snapshot sent more bytes than its runs of pages hold");
        const size = Math.min(length - written, chunk.length - from);
        memory.set(chunk.subarray(from, from + size), start + written);
        from += size;
        written += size;
        if (written === length) {
          run += 2;
          written = 0;
        }
      }
    },
    get done(): boolean {
      return run === runs.length;
    },
  };
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
  // A detached buffer (length 0) cannot be transferred again; an empty one holds nothing.
  if (buffer.byteLength > 0) (buffer as Transferable).transfer?.(0);
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
  const pieces = piecesOf(snapshot.body);
  const start = await readAtLeast(pieces, new Uint8Array(0), HEADER_START);
  const headerSize = headerSizeOf(start);
  const buffered = await readAtLeast(pieces, start, headerSize);
  return {
    header: buffered.slice(0, headerSize),
    async writeInto(memory) {
      try {
        const { imageSize, runs } = snapshot;
        // The wasm declares its initial memory (30 MB), the size of the snapshot's image.
        if (imageSize > memory.length) throw new Error("the snapshot outgrew the memory");
        checkRuns(runs, imageSize);
        zeroGaps(memory, runs, imageSize);
        const writer = runWriter(memory, runs);
        writer.write(buffered.subarray(headerSize));
        release(buffered);
        for await (const piece of pieces) writer.write(piece);
        if (!writer.done) throw new Error("the snapshot was cut short");
      } finally {
        // Stopped early: the stream is cancelled rather than left locked and half read.
        await pieces.return(undefined);
      }
    },
  };
}
