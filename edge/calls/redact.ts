/** What a call record keeps of a request's headers and body: never credentials, never much. */

import type { CallBody } from "../../workers/call-log-types.ts";
import { isCredentialHeader, isCredentialParam } from "../../workers/credential-names.ts";
import { CALL_LOG } from "../../workers/limits.ts";
import type { HeaderPair } from "../../workers/runtime-protocol.ts";

/** Whether a header's value is kept out of the owner's call log. */
export const isRedacted = isCredentialHeader;

/**
 * The query string as sent, with the value of every parameter whose name is credential-like
 * (`api_key`, `token`, `password`…, the words of header names) replaced; the rest stays as sent.
 */
export function redactQuery(query: string): string {
  return query
    .split("&")
    .map((pair) => {
      const at = pair.indexOf("=");
      const name = at < 0 ? pair : pair.slice(0, at);
      return at >= 0 && isCredentialParam(decodedName(name))
        ? `${name}=${CALL_LOG.redacted}`
        : pair;
    })
    .join("&");
}

/** A query parameter's name as a server reads it (`%5F` is `_`, `+` a space). */
function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll("+", " "));
  } catch {
    return name;
  }
}

/** The headers with credential-like values replaced; names and order stay, so the owner sees they were sent. */
export function redactHeaders(headers: Iterable<HeaderPair>): HeaderPair[] {
  return [...headers].map(([name, value]) => [name, isRedacted(name) ? CALL_LOG.redacted : value]);
}

/**
 * The body's size and, when its start is UTF-8 text, that start. A multi-byte character cut at
 * the preview's edge is dropped rather than counted as binary.
 */
export function bodyPreview(body: Uint8Array | null): CallBody {
  if (body === null) return { bytes: null };
  if (body.byteLength === 0) return { bytes: 0 };
  const head = body.subarray(0, CALL_LOG.bodyPreviewBytes);
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(head, {
      stream: head.byteLength < body.byteLength,
    });
    // NUL is valid UTF-8 but no text format uses it: such a body is binary.
    return text.includes("\0") ? { bytes: body.byteLength } : { bytes: body.byteLength, text };
  } catch {
    return { bytes: body.byteLength };
  }
}
