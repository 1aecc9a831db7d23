/**
 * A memory snapshot as an edge instance sends it to a new isolate: its zero pages left out
 * (`packSnapshot`), then put back together in the isolate's wasm memory as it streams in
 * (`readSnapshotHeader`), whatever the chunks it arrives in.
 */
import { describe, expect, it } from "vitest";
import { PAGE, packSnapshot } from "../../edge/sandbox/isolate/snapshot-pages.ts";
import { readSnapshotHeader } from "../../edge/sandbox/isolate/snapshot-stream.ts";

const HEADER = 256;

/** Pyodide's layout: u32 magic, u32 header size, the rest of the header, then the image. */
function snapshotOf(image: Uint8Array): Uint8Array {
  const snapshot = new Uint8Array(HEADER + image.length);
  const view = new DataView(snapshot.buffer);
  view.setUint32(0, 0x706e7300, true);
  view.setUint32(4, HEADER, true);
  snapshot.fill(7, 8, HEADER);
  snapshot.set(image, HEADER);
  return snapshot;
}

/** Ten pages and a half: pages 1, 2, 5 and the last (half) page hold data, the rest are zero. */
function sampleImage(): Uint8Array {
  const image = new Uint8Array(PAGE * 10 + PAGE / 2);
  image.fill(1, PAGE, PAGE * 3);
  image[PAGE * 5 + 17] = 9;
  image[image.length - 1] = 3;
  return image;
}

/**
 * `bytes` as a stream of `size`-byte chunks: a byte stream, as RPC gives the isolate (read into
 * the isolate's own buffer), or a stream of chunks (read as they come).
 */
function chunked(bytes: Uint8Array, size: number, type?: "bytes"): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    type,
    pull(controller) {
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
      if (at >= bytes.length) controller.close();
    },
  } as UnderlyingDefaultSource<Uint8Array>);
}

/**
 * Counts the reads the restore makes of `stream`, of either kind, and gives its BYOB reader
 * workerd's `readAtLeast` (which Node lacks: here it reads until `min` bytes or the end).
 */
function countingReads(stream: ReadableStream<Uint8Array>): { reads: number } {
  const counted = { reads: 0 };
  const getReader = stream.getReader.bind(stream) as (options?: object) => ReadableStreamBYOBReader;
  Object.assign(stream, {
    getReader(options?: object) {
      const reader = getReader(options);
      const read = reader.read.bind(reader);
      return Object.assign(reader, {
        read(view?: Uint8Array<ArrayBuffer>) {
          counted.reads += 1;
          return view ? read(view) : (read as unknown as () => Promise<unknown>)();
        },
        async readAtLeast(min: number, view: Uint8Array<ArrayBuffer>) {
          counted.reads += 1;
          let filled = 0;
          let buffer = view.buffer;
          for (;;) {
            const { done, value } = await read(new Uint8Array(buffer, filled));
            if (value) buffer = value.buffer;
            filled += value?.byteLength ?? 0;
            if (done || filled >= min) {
              return { done: done && filled === 0, value: new Uint8Array(buffer, 0, filled) };
            }
          }
        },
      });
    },
  });
  return counted;
}

describe("a packed snapshot", () => {
  it("keeps the header and only the pages that hold something", () => {
    const packed = packSnapshot(snapshotOf(sampleImage()));
    expect(packed.imageSize).toBe(sampleImage().length);
    expect(packed.runs).toEqual([PAGE, 2 * PAGE, 5 * PAGE, PAGE, 10 * PAGE, PAGE / 2]);
    expect(packed.bytes.length).toBe(HEADER + 3.5 * PAGE);
    expect(packed.bytes.subarray(0, HEADER)).toEqual(snapshotOf(sampleImage()).subarray(0, HEADER));
  });

  it.each([
    [1000, "chunks"],
    [PAGE, "chunks"],
    [1 << 20, "chunks"],
    [1000, "bytes"],
    [1 << 20, "bytes"],
  ] as const)(
    "is restored into memory as it was, in chunks of %i bytes (%s), zeroing what the wasm's data left there",
    async (chunkSize, type) => {
      const image = sampleImage();
      const packed = packSnapshot(snapshotOf(image));
      const memory = new Uint8Array(PAGE * 16);
      // A fresh wasm memory holds its data segments; the snapshot's zero pages must clear them.
      memory.fill(5, 0, PAGE / 2);
      memory.fill(5, PAGE * 7, PAGE * 8);
      // Beyond the image, memory is not the snapshot's to touch.
      memory.fill(4, PAGE * 12, PAGE * 13);
      const pending = await readSnapshotHeader({
        imageSize: packed.imageSize,
        runs: packed.runs,
        body: chunked(packed.bytes, chunkSize, type === "bytes" ? "bytes" : undefined),
      });
      expect(pending.header.length).toBe(HEADER);
      await pending.writeInto(memory);
      expect(memory.subarray(0, image.length)).toEqual(image);
      expect(memory.subarray(PAGE * 12, PAGE * 13).every((byte) => byte === 4)).toBe(true);
    },
  );

  it("arrives over RPC in pieces of ~4 KB, and is read in pieces of up to 1 MB: a few turns, not thousands", async () => {
    const image = new Uint8Array(3 << 20).fill(2);
    const packed = packSnapshot(snapshotOf(image));
    const body = chunked(packed.bytes, 4096, "bytes");
    const counted = countingReads(body);
    const pending = await readSnapshotHeader({
      imageSize: packed.imageSize,
      runs: packed.runs,
      body,
    });
    const memory = new Uint8Array(image.length);
    await pending.writeInto(memory);
    expect(Buffer.compare(memory, image)).toBe(0);
    // 3 MB and the header: four pieces and the read that finds the end (768 chunks came).
    expect(counted.reads).toBeLessThanOrEqual(5);
  });

  it.each(["chunks", "bytes"] as const)(
    "is refused when cut short, when it sends more than its runs hold, or when its runs lie (%s)",
    async (type) => {
      const packed = packSnapshot(snapshotOf(sampleImage()));
      const restore = async (runs: number[], bytes: Uint8Array, imageSize = packed.imageSize) => {
        const body = chunked(bytes, 1000, type === "bytes" ? "bytes" : undefined);
        const pending = await readSnapshotHeader({ imageSize, runs, body });
        await pending.writeInto(new Uint8Array(PAGE * 16));
      };
      await expect(restore(packed.runs, packed.bytes.slice(0, -10))).rejects.toThrow(/cut short/);
      const extra = new Uint8Array(packed.bytes.length + 10);
      extra.set(packed.bytes);
      await expect(restore(packed.runs, extra)).rejects.toThrow(/more bytes than its runs/);
      await expect(restore([PAGE * 20, PAGE], packed.bytes)).rejects.toThrow(/out of bounds/);
      await expect(restore([PAGE, PAGE, 0, PAGE], packed.bytes)).rejects.toThrow(/out of order/);
      await expect(restore(packed.runs, packed.bytes, PAGE * 17)).rejects.toThrow(/outgrew/);
    },
  );

  it("fails with the stream's own error when the stream breaks midway, and a refused one is cancelled", async () => {
    const packed = packSnapshot(snapshotOf(sampleImage()));
    const cancelled: number[] = [];
    const breaking = (failAt: number) => {
      let at = 0;
      return new ReadableStream({
        type: "bytes",
        pull(controller) {
          if (at >= failAt) throw new Error("the parent went away");
          controller.enqueue(packed.bytes.slice(at, at + 1000));
          at += 1000;
        },
        cancel() {
          cancelled.push(failAt);
        },
      });
    };
    const memory = new Uint8Array(PAGE * 16);
    const broken = await readSnapshotHeader({ ...packed, body: breaking(3000) });
    // Not a TypeError about the detached buffer the failed read had taken.
    await expect(broken.writeInto(memory)).rejects.toThrow("the parent went away");

    const refused = await readSnapshotHeader({ ...packed, body: breaking(Infinity) });
    await expect(refused.writeInto(new Uint8Array(PAGE))).rejects.toThrow(/outgrew/);
    expect(cancelled).toEqual([Infinity]);
  });
});
