/**
 * The body of a call between the app and a runner process: a JSON header and raw bytes, so that
 * request and response bodies cross as they are (no base64, no header rewriting on the way):
 * `[4-byte big-endian JSON length][JSON][bytes]`.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeFrame(meta: unknown, bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const json = encoder.encode(JSON.stringify(meta));
  const frame = new Uint8Array(4 + json.byteLength + bytes.byteLength);
  new DataView(frame.buffer).setUint32(0, json.byteLength);
  frame.set(json, 4);
  frame.set(bytes, 4 + json.byteLength);
  return frame;
}

export function decodeFrame<Meta>(buffer: ArrayBuffer): { meta: Meta; bytes: Uint8Array } {
  if (buffer.byteLength < 4) throw new Error("runner frame: too short");
  const length = new DataView(buffer).getUint32(0);
  if (4 + length > buffer.byteLength) throw new Error("runner frame: header past the end");
  const meta = JSON.parse(decoder.decode(new Uint8Array(buffer, 4, length))) as Meta;
  return { meta, bytes: new Uint8Array(buffer, 4 + length) };
}

/**
 * A frame whose bytes are a stream still under way (a streamed response): reads the frame's JSON
 * header from `body`, and gives the rest of the bytes as they come. `onEnd` is told how it ended:
 * read to its end, failed (the read threw: the runner died, or the call's deadline aborted it),
 * or cancelled by its reader; `onChunk` hears of every chunk.
 */
export async function readStreamingFrame<Meta>(
  body: ReadableStream<Uint8Array>,
  onEnd: (outcome: "answered" | "failed" | "cancelled") => void | Promise<void>,
  onChunk: () => void = () => {},
): Promise<{ meta: Meta; rest: ReadableStream<Uint8Array> }> {
  const reader = body.getReader();
  let buffered = new Uint8Array(0);
  let needed = 4;
  for (;;) {
    if (buffered.byteLength >= 4) needed = 4 + new DataView(buffered.buffer).getUint32(0);
    if (buffered.byteLength >= needed && buffered.byteLength >= 4) break;
    const { done, value } = await reader.read();
    if (done) throw new Error("runner frame: ended inside its header");
    const joined = new Uint8Array(buffered.byteLength + value.byteLength);
    joined.set(buffered);
    joined.set(value, buffered.byteLength);
    buffered = joined;
  }
  const meta = JSON.parse(decoder.decode(buffered.subarray(4, needed))) as Meta;
  let leftover: Uint8Array | null = buffered.slice(needed);
  const rest = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (leftover?.byteLength) {
        controller.enqueue(leftover);
        leftover = null;
        return;
      }
      leftover = null;
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (error) {
        // Awaited: what it does about the failure (a health check) finishes inside the request.
        await onEnd("failed");
        throw error;
      }
      if (read.done) {
        onEnd("answered");
        controller.close();
      } else {
        onChunk();
        controller.enqueue(read.value);
      }
    },
    cancel(reason) {
      // Cut by the app (a limit, or its client left): the runner may still be busy with it.
      onEnd("cancelled");
      return reader.cancel(reason);
    },
  });
  return { meta, rest };
}

/**
 * `head`'s bytes, then `rest`'s as they come: a frame whose bytes are a stream. `onEnd` is called
 * once when it is over: read to its end, failed, or cancelled by its reader.
 */
export function streamingFrame(
  meta: unknown,
  rest: ReadableStream<Uint8Array>,
  onEnd: () => void = () => {},
): ReadableStream<Uint8Array> {
  const reader = rest.getReader();
  let head: Uint8Array | null = encodeFrame(meta, new Uint8Array());
  let ended = false;
  const end = () => {
    if (!ended) {
      ended = true;
      onEnd();
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (head) {
        controller.enqueue(head);
        head = null;
        return;
      }
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (error) {
        end();
        throw error;
      }
      if (read.done) {
        controller.close();
        end();
      } else controller.enqueue(read.value);
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
}
