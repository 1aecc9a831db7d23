/**
 * Secrets at rest: AES-256-GCM with the key from the `ENV_KEY` secret (32 random bytes, base64).
 * The snippet id and the name are the additional data, so a ciphertext copied into another row
 * (another snippet, another name) does not decrypt.
 */
import { fromBase64, toBase64 } from "../workers/bytes.ts";
import { ServiceUnavailable } from "./errors.ts";

const keys = new Map<string, Promise<CryptoKey>>();

/** The CryptoKey for `ENV_KEY` (imported once per instance). */
function cryptoKey(envKey: string | undefined): Promise<CryptoKey> {
  if (!envKey) {
    throw new ServiceUnavailable(
      "env_key_missing",
      "Secrets are not available: the server has no ENV_KEY (wrangler secret put ENV_KEY)",
    );
  }
  let key = keys.get(envKey);
  if (!key) {
    const bytes = fromStoredBase64(envKey.trim());
    if (bytes.byteLength !== 32) {
      throw new ServiceUnavailable("env_key_invalid", "ENV_KEY must be 32 bytes, base64-encoded");
    }
    key = crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.set(envKey, key);
  }
  return key;
}

function additionalData(snippetId: string, name: string): Uint8Array {
  return new TextEncoder().encode(`fnpad-env\n${snippetId}\n${name}`);
}

/** A sealed secret as stored: base64 ciphertext (with its tag) and IV. */
export interface Sealed {
  cipher: string;
  iv: string;
}

export async function sealSecret(
  envKey: string | undefined,
  snippetId: string,
  name: string,
  value: string,
): Promise<Sealed> {
  const key = await cryptoKey(envKey);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const cipher = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additionalData(snippetId, name) },
    key,
    new TextEncoder().encode(value),
  );
  return { cipher: toBase64(new Uint8Array(cipher)), iv: toBase64(iv) };
}

/** The value of a sealed secret; a wrong key or a tampered row is a 503 that names no value. */
export async function openSecret(
  envKey: string | undefined,
  snippetId: string,
  name: string,
  sealed: Sealed,
): Promise<string> {
  const key = await cryptoKey(envKey);
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: fromStoredBase64(sealed.iv),
        additionalData: additionalData(snippetId, name),
      },
      key,
      fromStoredBase64(sealed.cipher),
    );
    return new TextDecoder().decode(plain);
  } catch {
    throw new ServiceUnavailable(
      "env_decrypt_failed",
      `Secret ${name} cannot be decrypted with this server's ENV_KEY; set it again`,
    );
  }
}

/** A stored field that is not base64 reads as no bytes, which then fails to decrypt as such. */
function fromStoredBase64(text: string): Uint8Array<ArrayBuffer> {
  try {
    return fromBase64(text);
  } catch {
    return new Uint8Array();
  }
}
