import type { CallRecord } from "../../../workers/call-log-types.ts";
import { CALL_LOG } from "../../../workers/limits.ts";
import { DEFAULT_DRAFT, type RequestDraft, type Row } from "../request-draft.ts";

/** Headers the edge, a proxy or the HTTP client adds: not part of what the caller meant to send. */
const TRANSPORT_HEADERS = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "accept-encoding",
  "cdn-loop",
  "true-client-ip",
  "x-real-ip",
]);

function isTransport(name: string): boolean {
  return TRANSPORT_HEADERS.has(name) || name.startsWith("cf-") || name.startsWith("x-forwarded-");
}

/** The names of a call's headers that replay cannot send, because their values were redacted. */
export function redactedNames(call: CallRecord): string[] {
  return call.headers.filter(([, value]) => value === CALL_LOG.redacted).map(([name]) => name);
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
      .filter(([name, value]) => value !== CALL_LOG.redacted && !isTransport(name))
      .map(row),
    body: call.body.text ?? "",
    bodyEncoding: "text",
  };
}
