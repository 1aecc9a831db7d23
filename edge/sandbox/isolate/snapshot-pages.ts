/**
 * The pages of a memory snapshot's image that hold something. More than half of the 30 MB image
 * is zero pages; an edge instance leaves them out once (`packSnapshot`) and sends a new isolate
 * only the others, so the zeros neither cross RPC nor get scanned again in every new isolate.
 */

/** Pyodide's snapshot header starts with u32 magic, u32 size of the header (where the image starts). */
const HEADER_SIZE_AT = 4;

/** Bytes of the snapshot header that `start` begins, which needs at least `HEADER_START` bytes. */
export function headerSizeOf(start: Uint8Array): number {
  return new DataView(start.buffer, start.byteOffset).getUint32(HEADER_SIZE_AT, true);
}

/** The bytes of a snapshot `headerSizeOf` reads. */
export const HEADER_START = HEADER_SIZE_AT + 4;

/** Linux's page size: the unit in which untouched memory stays free. */
export const PAGE = 4096;

/**
 * Whether every byte is zero; read as 32-bit words where aligned (words take a third of the time
 * bytes do, before the JIT warms up).
 */
export function isZero(bytes: Uint8Array): boolean {
  if (bytes.byteOffset % 4 === 0 && bytes.length % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    for (let i = 0; i < words.length; i += 1) if (words[i] !== 0) return false;
    return true;
  }
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * The runs of pages of `image` that are not all zero, as `[start, length, start, length, …]`
 * in bytes from the image's start, in order. The image is written to memory at address 0, so its
 * pages are the memory's pages.
 */
export function nonZeroRuns(image: Uint8Array): number[] {
  const runs: number[] = [];
  let runStart = -1;
  for (let at = 0; at < image.length; at += PAGE) {
    const end = Math.min(image.length, at + PAGE);
    const zero = isZero(image.subarray(at, end));
    if (!zero && runStart < 0) runStart = at;
    if (zero && runStart >= 0) {
      runs.push(runStart, at - runStart);
      runStart = -1;
    }
  }
  if (runStart >= 0) runs.push(runStart, image.length - runStart);
  return runs;
}

/** Bytes in `runs` (`nonZeroRuns`' form). */
function runBytes(runs: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < runs.length; i += 2) total += runs[i] ?? 0;
  return total;
}

/** A snapshot as an edge instance keeps it for new isolates: its zero pages left out. */
export interface PackedSnapshot {
  /** Bytes of the whole memory image, zero pages included. */
  imageSize: number;
  /** Where the image's non-zero pages go: `[start, length, …]` (`nonZeroRuns`). */
  runs: number[];
  /** The header, then the bytes of `runs`, back to back (about half of the snapshot). */
  bytes: Uint8Array;
}

/**
 * `snapshot` (Pyodide's form: header, then the whole image) without its zero pages, in one
 * buffer: it is sent in a few large chunks, and each chunk of an RPC stream costs a turn
 * (measured: streaming the ~230 runs one by one took longer than sending the whole 30 MB).
 */
export function packSnapshot(snapshot: Uint8Array): PackedSnapshot {
  const headerSize = headerSizeOf(snapshot);
  const image = snapshot.subarray(headerSize);
  const runs = nonZeroRuns(image);
  const bytes = new Uint8Array(headerSize + runBytes(runs));
  bytes.set(snapshot.subarray(0, headerSize));
  let at = headerSize;
  for (let i = 0; i < runs.length; i += 2) {
    const start = runs[i] ?? 0;
    const length = runs[i + 1] ?? 0;
    bytes.set(image.subarray(start, start + length), at);
    at += length;
  }
  return { imageSize: image.length, runs, bytes };
}
