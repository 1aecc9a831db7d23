/**
 * Snippet ids and version references (`id`, `id@N`): one definition for the API, the endpoints,
 * the page's routes and the CLI, so that nothing asks the database about an id the API would
 * refuse.
 */

/**
 * The alphabet of new ids: lower-case letters and digits without the look-alikes 0/o and 1/l
 * (and no capitals), so that an id can be read aloud in a talk and typed from a slide.
 */
const ID_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyz";
/** 12 characters of 32: 60 bits, unguessable, and collisions stay negligible. */
const ID_LENGTH = 12;

/** New ids (12 readable characters), and the ids made before them (10 base-62 characters). */
const SNIPPET_ID = /^(?:[2-9a-km-np-z]{12}|[0-9A-Za-z]{10})$/;

/** The highest version number: nine digits, small enough for SQLite's and JavaScript's integers alike. */
export const MAX_VERSION = 999_999_999;

/** Version numbers as written in a URL: 1 to `MAX_VERSION`, no sign, exponent or leading zero. */
const VERSION = /^[1-9][0-9]{0,8}$/;

/** A snippet, and one of its versions when the reference pins one. */
export interface SnippetRef {
  id: string;
  /** The pinned version, or `null` for the latest. */
  version: number | null;
}

/** Whether `value` is a snippet id (new or old form). */
export function isSnippetId(value: string): boolean {
  return SNIPPET_ID.test(value);
}

/** Whether `value` is a version number as written in a URL. */
export function isVersionNumber(value: string): boolean {
  return VERSION.test(value);
}

/** Reads `id` or `id@N`; `null` when it is neither. */
export function parseSnippetRef(value: string): SnippetRef | null {
  const at = value.indexOf("@");
  const id = at === -1 ? value : value.slice(0, at);
  const version = at === -1 ? null : value.slice(at + 1);
  if (!isSnippetId(id)) return null;
  if (version === null) return { id, version: null };
  return isVersionNumber(version) ? { id, version: Number(version) } : null;
}

/** Writes `id` or `id@N`. */
export function formatSnippetRef({ id, version }: SnippetRef): string {
  return version === null ? id : `${id}@${version}`;
}

/** A new random snippet id, e.g. `k3xq7m2pwt9e`. */
export function newSnippetId(): string {
  // 32 divides 256: `byte % 32` is unbiased.
  const bytes = crypto.getRandomValues(new Uint8Array(ID_LENGTH));
  return Array.from(bytes, (byte) => ID_ALPHABET.charAt(byte % ID_ALPHABET.length)).join("");
}
