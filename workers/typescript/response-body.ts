/**
 * Reads the body of a `Response` a TypeScript handler returned. A body that is all there (a
 * string, JSON, bytes: what `new Response(text)` makes) is read in one go, as before streaming
 * existed; one the handler is still making (a `ReadableStream` fed from timers or `await`s, an
 * SSE feed) becomes a `HandlerStream`, so its chunks leave as they are made.
 */
import type { HandlerStream, StreamStep } from "../stream.ts";

/**
 * How long a body may take to arrive whole and still count as plain. A body made in memory is
 * read in well under a millisecond (8 MiB in a few); a stream that waits for anything outlasts it.
 */
export const PLAIN_BODY_MS = 20;

type Read = ReadableStreamReadResult<Uint8Array>;

/** The end of a stream that threw `thrown` (the harness knows whether it was a guard). */
export type StreamFailure = (thrown: unknown) => Extract<StreamStep, { done: true }>;

/**
 * The whole body when it arrives within `PLAIN_BODY_MS`, else the stream of the rest (the chunks
 * read so far come first). Rejects with what the body threw when that happened within the window.
 */
export async function readResponseBody(
  response: Response,
  failed: StreamFailure,
): Promise<Uint8Array | HandlerStream> {
  let body: ReadableStream<Uint8Array> | null;
  try {
    body = response.body;
  } catch {
    // Not a real Response but an object made from its prototype: read it as it says it reads,
    // and let the parent judge what comes out (it refuses anything but bytes and string pairs).
    return new Uint8Array(await response.arrayBuffer());
  }
  const reader = body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let markLate = () => {};
  const late = new Promise<"late">((resolve) => {
    markLate = () => resolve("late");
  });
  const timer = setTimeout(() => markLate(), PLAIN_BODY_MS);
  try {
    for (;;) {
      const reading = reader.read();
      const read = await Promise.race([reading, late]);
      if (read === "late") return streamOf(reader, chunks, reading, failed);
      if (read.done) return await wholeBody(chunks);
      const chunk = chunkBytes(read.value);
      chunks.push(chunk);
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The chunks as one body, joined natively: the handler shares this realm and may have patched
 * `byteLength` or `set`, and the parent measures what arrives anyway (`isolate-response.ts`).
 */
async function wholeBody(chunks: Uint8Array[]): Promise<Uint8Array> {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  return new Uint8Array(await new Blob(chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer());
}

/** A chunk as bytes (a stream may hand anything; the Fetch API would refuse all but bytes). */
function chunkBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const kind = value === null ? "null" : typeof value;
  throw new TypeError(
    `a response stream's chunks must be Uint8Array (use TextEncoder for text), not ${kind}`,
  );
}

/** The stream of a body still being made: `first` are the chunks read already, `pending` the read under way. */
function streamOf(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  first: Uint8Array[],
  pending: Promise<Read>,
  failed: StreamFailure,
): HandlerStream {
  const queued = [...first];
  let reading: Promise<Read> | null = pending;
  let ended = false;
  return {
    async next() {
      if (ended) return { done: true };
      const chunk = queued.shift();
      if (chunk) return { chunk };
      try {
        const read = await (reading ?? reader.read());
        reading = null;
        if (read.done) {
          ended = true;
          return { done: true };
        }
        return { chunk: chunkBytes(read.value) };
      } catch (thrown) {
        ended = true;
        reader.cancel().catch(() => {});
        return failed(thrown);
      }
    },
    cancel() {
      if (ended) return;
      ended = true;
      // Cancelling runs the source's `cancel()`, user code, which may throw; the stream is over anyway.
      reader.cancel().catch(() => {});
    },
  };
}
