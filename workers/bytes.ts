/** Byte encodings used on both sides of every boundary: base64 (plain and URL-safe), SHA-256 hex, FNV-1a. */

/** `bytes` as standard base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  // One character per byte, in chunks: spreading a large array into `fromCharCode` overflows the stack.
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(binary);
}

/** The bytes of standard base64 `text`; throws on text that is not base64. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

/** `bytes` as URL-safe base64 without padding (RFC 4648 §5), for tokens. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The SHA-256 digest of `text` (as UTF-8), as 64 lowercase hex digits. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** FNV-1a of `text`'s UTF-16 code units: a fast, stable, non-cryptographic 32-bit hash. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Joins `chunks` into one array (the only chunk itself when there is one). */
export function joinChunks<Buffer extends ArrayBufferLike>(
  chunks: readonly Uint8Array<Buffer>[],
  size: number,
): Uint8Array<Buffer | ArrayBuffer> {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}
