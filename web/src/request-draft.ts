import type { HeaderPair, WireRequest } from "../../workers/protocol.ts";

/** One editable name/value row of the request builder (query parameter or header). */
export interface Row {
  /** Whether the row is sent; lets a user keep a row around while trying without it. */
  enabled: boolean;
  name: string;
  value: string;
}

/** The request builder's contents: the request a Run sends to the handler. */
export interface RequestDraft {
  method: string;
  /** Path relative to the endpoint, as a curl to `/fn/:id<path>` would give it. */
  path: string;
  query: Row[];
  headers: Row[];
  body: string;
}

/** The methods the builder offers. */
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

export const DEFAULT_DRAFT: RequestDraft = {
  method: "GET",
  path: "/",
  query: [{ enabled: true, name: "name", value: "fnpad" }],
  headers: [],
  body: "",
};

/** Whether a method carries a request body (fetch refuses one on GET and HEAD). */
export function hasBody(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}

/** The raw query string (without `?`) of the draft's enabled rows. */
export function queryString(draft: RequestDraft): string {
  const params = new URLSearchParams();
  for (const row of draft.query) if (row.enabled && row.name) params.append(row.name, row.value);
  return params.toString();
}

/** Turns the draft into the request a handler receives; `endpointBase` is the URL `path` is relative to. */
export function toWireRequest(draft: RequestDraft, endpointBase: string): WireRequest {
  const path = draft.path.startsWith("/") ? draft.path : `/${draft.path}`;
  const query = queryString(draft);
  const headers: HeaderPair[] = draft.headers
    .filter((row) => row.enabled && row.name)
    .map((row) => [row.name.toLowerCase(), row.value]);
  const body = hasBody(draft.method) ? new TextEncoder().encode(draft.body) : new Uint8Array();
  return {
    method: draft.method,
    url: `${endpointBase}${path}${query ? `?${query}` : ""}`,
    path,
    query,
    headers,
    body,
  };
}
