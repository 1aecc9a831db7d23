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

/** `bytes` as a stream of `size`-byte chunks. */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
      if (at >= bytes.length) controller.close();
    },
  });
}

describe("a packed snapshot", () => {
  it("keeps the header and only the pages that hold something", () => {
    const packed = packSnapshot(snapshotOf(sampleImage()));
    expect(packed.imageSize).toBe(sampleImage().length);
    expect(packed.runs).toEqual([PAGE, 2 * PAGE, 5 * PAGE, PAGE, 10 * PAGE, PAGE / 2]);
    expect(packed.bytes.length).toBe(HEADER + 3.5 * PAGE);
    expect(packed.bytes.subarray(0, HEADER)).toEqual(snapshotOf(sampleImage()).subarray(0, HEADER));
  });

  it.each([1000, PAGE, 1 << 20])(
    "is restored into memory as it was, in chunks of %i bytes, zeroing what the wasm's data left there",
    async (chunkSize) => {
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
        body: chunked(packed.bytes, chunkSize),
      });
      expect(pending.header.length).toBe(HEADER);
      await pending.writeInto(memory);
      expect(memory.subarray(0, image.length)).toEqual(image);
      expect(memory.subarray(PAGE * 12, PAGE * 13).every((byte) => byte === 4)).toBe(true);
    },
  );

  it("is refused when cut short, when it sends more than its runs hold, or when its runs lie", async () => {
    const packed = packSnapshot(snapshotOf(sampleImage()));
    const restore = async (runs: number[], bytes: Uint8Array, imageSize = packed.imageSize) => {
      const pending = await readSnapshotHeader({ imageSize, runs, body: chunked(bytes, 1000) });
      await pending.writeInto(new Uint8Array(PAGE * 16));
    };
    await expect(restore(packed.runs, packed.bytes.slice(0, -10))).rejects.toThrow(/cut short/);
    const extra = new Uint8Array(packed.bytes.length + 10);
    extra.set(packed.bytes);
    await expect(restore(packed.runs, extra)).rejects.toThrow(/more bytes than its runs/);
    await expect(restore([PAGE * 20, PAGE], packed.bytes)).rejects.toThrow(/out of bounds/);
    await expect(restore([PAGE, PAGE, 0, PAGE], packed.bytes)).rejects.toThrow(/out of order/);
    await expect(restore(packed.runs, packed.bytes, PAGE * 17)).rejects.toThrow(/outgrew/);
  });
});
