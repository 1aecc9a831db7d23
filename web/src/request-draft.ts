import type { RequestRow, SavedRequest } from "../../workers/api-types.ts";
import { fromBase64 } from "../../workers/bytes.ts";
import { LIMITS } from "../../workers/limits.ts";
import type { HeaderPair, WireRequest } from "../../workers/runtime-protocol.ts";

/** One editable name/value row of the request builder (query parameter or header). */
export type Row = RequestRow;

/** The request builder's contents: the request a Run sends, and what is saved with a snippet. */
export type RequestDraft = SavedRequest;

/** How the builder's body text is turned into bytes. */
export type BodyEncoding = SavedRequest["bodyEncoding"];

/** The methods the builder offers. */
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

export const DEFAULT_DRAFT: RequestDraft = {
  method: "GET",
  path: "/",
  query: [{ enabled: true, name: "name", value: "fnpad" }],
  headers: [],
  body: "",
  bodyEncoding: "text",
};

/** Whether a method carries a request body (fetch refuses one on GET and HEAD). */
export function hasBody(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}

/** The body bytes the draft sends; throws a readable error when a base64 body is not valid base64. */
export function bodyBytes(draft: RequestDraft): Uint8Array {
  if (!hasBody(draft.method)) return new Uint8Array();
  if (draft.bodyEncoding === "text") return new TextEncoder().encode(draft.body);
  try {
    return fromBase64(draft.body.replace(/\s+/g, ""));
  } catch {
    throw new Error("The request body is not valid base64");
  }
}

/** An HTTP field name: a "token" (RFC 9110 §5.1), which `fetch` and the edge both insist on. */
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Characters no field value may hold (they would end the header line). */
const FIELD_VALUE_BREAK = /[\r\n\0]/;

/** What is wrong with a header row, or `null` when it can be sent as it is. */
export function headerProblem(row: Row): string | null {
  if (!row.name) return row.value ? "A header needs a name" : null;
  if (!FIELD_NAME.test(row.name)) {
    return `"${row.name}" is not a valid header name: use letters, digits and - (no spaces or colons)`;
  }
  if (FIELD_VALUE_BREAK.test(row.value)) return "A header value cannot hold line breaks";
  return null;
}

/**
 * A warning for a row that holds a credential: the builder's request is saved with the snippet,
 * where everyone with its link reads it and every fork copies it.
 */
export function credentialWarning(isCredential: (name: string) => boolean) {
  return (row: Row): string | null =>
    row.value && isCredential(row.name.trim())
      ? "Saved with the snippet: anyone with its link sees this value, and forks copy it. Keep keys in Env as secrets."
      : null;
}

/**
 * The enabled header rows as pairs, names lower-cased as a handler sees them; throws the first
 * row's problem when one cannot be sent (the browser would run it, the edge refuse it).
 */
export function headerPairs(draft: RequestDraft): HeaderPair[] {
  const rows = draft.headers.filter((row) => row.enabled);
  for (const [index, row] of rows.entries()) {
    const problem = headerProblem(row);
    if (problem) throw new Error(`Header ${index + 1}: ${problem}`);
  }
  return rows.filter((row) => row.name).map((row) => [row.name.toLowerCase(), row.value]);
}

/**
 * What a `?` or `#` in the path field does, said as it is typed (`null` when there is none):
 * `wirePath` sends them as part of the path, and `/hello?name=Ada` looks like a query.
 */
export function pathWarning(path: string): string | null {
  if (path.includes("?"))
    return '"?" goes as part of the path (%3F), not as a query: add the query under Query parameters.';
  if (path.includes("#")) return '"#" goes as part of the path (%23): no client sends a fragment.';
  return null;
}

/** The path with its leading `/`, plus `?query` when there is one: what follows the endpoint base. */
/**
 * The draft's path as it goes over the wire: percent-encoded, dot segments resolved, as `fetch`
 * and curl send it; so a handler sees the same `path` in the browser and at the edge.
 * A `?` or `#` typed into the path field is part of the path, not a query or fragment.
 */
export function wirePath(draft: RequestDraft): string {
  const path = draft.path.startsWith("/") ? draft.path : `/${draft.path}`;
  const literal = path.replaceAll("?", "%3F").replaceAll("#", "%23");
  return new URL(literal, "http://localhost").pathname;
}

export function pathAndQuery(draft: RequestDraft): string {
  const path = wirePath(draft);
  const query = queryString(draft);
  return `${path}${query ? `?${query}` : ""}`;
}

/** The raw query string (without `?`) of the draft's enabled rows. */
export function queryString(draft: RequestDraft): string {
  const params = new URLSearchParams();
  for (const row of draft.query) if (row.enabled && row.name) params.append(row.name, row.value);
  return params.toString();
}

/**
 * Turns the draft into the request a handler receives; `endpointBase` is the URL `path` is relative to.
 * Throws a readable error for a request that cannot be sent, such as a body larger than an endpoint
 * accepts (the browser would run it, the endpoint answer 413: the two would not agree).
 */
export function toWireRequest(draft: RequestDraft, endpointBase: string): WireRequest {
  const path = wirePath(draft);
  const query = queryString(draft);
  const headers = headerPairs(draft);
  const body = bodyBytes(draft);
  if (body.byteLength > LIMITS.requestBodyBytes) {
    const bytes = (count: number) => count.toLocaleString("en");
    throw new Error(
      `The body is ${bytes(body.byteLength)} bytes; an endpoint accepts at most ${bytes(LIMITS.requestBodyBytes)} (${LIMITS.requestBodyBytes / 2 ** 20} MB)`,
    );
  }
  return {
    method: draft.method,
    url: `${endpointBase}${pathAndQuery(draft)}`,
    path,
    query,
    headers,
    body,
  };
}
