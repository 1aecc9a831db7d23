import type { CallRecord } from "../../../workers/call-log-types.ts";
import { CALL_LOG } from "../../../workers/limits.ts";
import { DEFAULT_DRAFT, type RequestDraft, type Row } from "../request-draft.ts";

/**
 * Headers the edge, a proxy or the HTTP client adds: not part of what the caller meant to send,
 * so replay leaves them out (they would be saved with the snippet and shown in Copy as curl).
 * Hop-by-hop headers, Cloudflare's and proxies' own, and the ones every client sends by itself.
 */
const TRANSPORT_HEADERS = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "upgrade",
  "via",
  "forwarded",
  "content-length",
  "transfer-encoding",
  "accept-encoding",
  "user-agent",
  "cdn-loop",
  "true-client-ip",
  "x-real-ip",
  // A browser's own, on every request it makes (the page's Run at edge's among them).
  "accept-language",
  "pragma",
  "priority",
  "upgrade-insecure-requests",
]);

/** The app's origin: a browser names it in `origin` and `referer` on the page's own calls. */
const APP_ORIGIN = globalThis.location?.origin ?? null;

/** Prefixes of the same: Cloudflare's, proxies', fnpad's own, and a browser's fetch metadata. */
const TRANSPORT_PREFIXES = ["cf-", "x-forwarded-", "x-fnpad-", "sec-fetch-", "sec-ch-"];

function fromApp(url: string): boolean {
  return url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
}

function isTransport([name, value]: [string, string]): boolean {
  const lower = name.toLowerCase();
  return (
    TRANSPORT_HEADERS.has(lower) ||
    TRANSPORT_PREFIXES.some((prefix) => lower.startsWith(prefix)) ||
    // curl's and fetch's default: any client sends it unasked.
    (lower === "accept" && value.trim() === "*/*") ||
    // A browser's own when it opens the URL (a phone scanning the QR code): it asks for a page.
    (lower === "accept" && value.startsWith("text/html,application/xhtml+xml")) ||
    // What a browser's fetch with `cache: "no-store"` (Run at edge's) adds, and a reload.
    (lower === "cache-control" && (value.trim() === "no-cache" || value.trim() === "max-age=0")) ||
    // The page's own calls; an origin a caller sets itself (a CORS test from elsewhere) stays.
    ((lower === "origin" || lower === "referer") && APP_ORIGIN !== null && fromApp(value))
  );
}

/** The names of a call's headers that replay cannot send, because their values were redacted. */
export function redactedNames(call: CallRecord): string[] {
  return call.headers.filter(([, value]) => value === CALL_LOG.redacted).map(([name]) => name);
}

/**
 * What Replay sends in place of a body the log did not keep whole (`null` when it sends the body
 * as it came): a call's record keeps a text body's first 4 KB and only a binary body's size.
 */
export function replayBodyNote({ body }: CallRecord): string | null {
  if (body.bytes === null)
    return "Replayed without its body (it was over the size limit and not read).";
  if (body.bytes === 0) return null;
  const size = `${body.bytes.toLocaleString()} bytes`;
  if (body.text === undefined) return `Replayed without its binary body (${size}).`;
  if (new TextEncoder().encode(body.text).byteLength >= body.bytes) return null;
  const preview = `${CALL_LOG.bodyPreviewBytes / 1024} KB`;
  return `Replayed with the first ${preview} of the body (${size}).`;
}

/**
 * A recorded call as the request builder holds it; redacted headers and binary bodies are left
 * out, redacted query parameters switched off.
 */
export function replayDraft(call: CallRecord): RequestDraft {
  const row = ([name, value]: [string, string]): Row => ({ enabled: true, name, value });
  return {
    ...DEFAULT_DRAFT,
    method: call.method,
    path: call.path,
    // A redacted parameter stays in view, switched off: its value is not there to send.
    query: [...new URLSearchParams(call.query)].map(([name, value]) => ({
      ...row([name, value]),
      enabled: value !== CALL_LOG.redacted,
    })),
    headers: call.headers
      .filter((header) => header[1] !== CALL_LOG.redacted && !isTransport(header))
      .map(row),
    body: call.body.text ?? "",
    bodyEncoding: "text",
  };
}
