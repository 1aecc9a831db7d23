/** Edit tokens: random, URL-safe, unguessable; only their hashes are stored. Snippet ids: `snippet-ref.ts`. */

import { sha256Hex, toBase64Url } from "../workers/bytes.ts";

/** A new edit token: 32 random bytes, base64url without padding. */
export function newEditToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The SHA-256 of a token, hex-encoded: what the database stores. */
export function hashToken(token: string): Promise<string> {
  return sha256Hex(token);
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
