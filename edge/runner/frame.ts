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
