/** Snippet ids and edit tokens: random, URL-safe, unguessable; only token hashes are stored. */

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 10 base-62 characters ≈ 59.5 bits: unguessable, and collisions stay negligible. */
const ID_LENGTH = 10;
/** Bytes at or above this would bias `byte % 62`; they are drawn again. */
const UNBIASED_BYTE_LIMIT = 256 - (256 % ID_ALPHABET.length);

/** A new random snippet id, e.g. `x7Kq2LmP0a` (alphanumeric, so `/fn/:id@N` parses unambiguously). */
export function newSnippetId(): string {
  let id = "";
  while (id.length < ID_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(ID_LENGTH * 2))) {
      if (byte < UNBIASED_BYTE_LIMIT && id.length < ID_LENGTH)
        id += ID_ALPHABET.charAt(byte % ID_ALPHABET.length);
    }
  }
  return id;
}

/** Whether `value` has the shape of a snippet id (checked before touching the database). */
export function isSnippetId(value: string): boolean {
  return /^[0-9A-Za-z]{10}$/.test(value);
}

/** A new edit token: 32 random bytes, base64url without padding. */
export function newEditToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The SHA-256 of a token, hex-encoded: what the database stores. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether `token` hashes to `storedHash`, compared in constant time. */
export async function tokenMatches(token: string, storedHash: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const presented = encoder.encode(await hashToken(token));
  const stored = encoder.encode(storedHash);
  // Both are 64-character hex digests; the length check only guards against a corrupt row.
  return (
    presented.byteLength === stored.byteLength && crypto.subtle.timingSafeEqual(presented, stored)
  );
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}
