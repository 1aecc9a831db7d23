/**
 * A run's logs and error as the isolate reported them, rebuilt from checked plain data. The
 * isolate shares its realm with the snippet, so what it says is untrusted: shapes are checked
 * here, and sizes bounded so that one call cannot make a record (or the feed) large.
 */

import type { CallError } from "../../workers/call-log-types.ts";
import { CALL_LOG } from "../../workers/limits.ts";
import type { LogEntry } from "../../workers/runtime-protocol.ts";

const MAX_ERROR_CHARS = 2000;

/**
 * Longest response content type a record keeps, in characters. The handler sets it, and a header
 * may run to 16,384 characters; a real one (`text/html; charset=utf-8`, a multipart boundary) is
 * far shorter.
 */
export const MAX_CONTENT_TYPE_CHARS = 256;

/** `text` cut to `max` characters, saying how many more it had. */
export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

/** The first `CALL_LOG.maxLogLines` well-formed entries, each shortened; and how many were left out. */
export function sanitizeLogs(logs: unknown): { logs: LogEntry[]; dropped: number } {
  if (!Array.isArray(logs)) return { logs: [], dropped: 0 };
  const kept: LogEntry[] = [];
  // Read by index up to a bound: a huge array costs no more than the lines kept.
  const total = logs.length;
  for (let index = 0; index < total && kept.length < CALL_LOG.maxLogLines; index += 1) {
    const entry: unknown = logs[index];
    if (typeof entry !== "object" || entry === null) continue;
    const { stream, text, at } = entry as Partial<Record<keyof LogEntry, unknown>>;
    if ((stream !== "stdout" && stream !== "stderr") || typeof text !== "string") continue;
    kept.push({
      stream,
      text: shorten(text, CALL_LOG.maxLogChars),
      at: typeof at === "number" && Number.isFinite(at) ? at : 0,
    });
  }
  return { logs: kept, dropped: total - kept.length };
}

/** The handler's error's type, message and line, when the isolate reported a well-formed one. */
export function sanitizeError(error: unknown): CallError | null {
  if (typeof error !== "object" || error === null) return null;
  const { type, message, line } = error as Partial<Record<keyof CallError, unknown>>;
  if (typeof type !== "string" || typeof message !== "string") return null;
  const kept: CallError = {
    type: shorten(type, 200),
    message: shorten(message, MAX_ERROR_CHARS),
  };
  if (typeof line === "number" && Number.isInteger(line) && line > 0) kept.line = line;
  return kept;
}

/** The response's content type as a record keeps it: shortened past `MAX_CONTENT_TYPE_CHARS`. */
export function sanitizeContentType(contentType: string | null): string | null {
  return contentType === null ? null : shorten(contentType, MAX_CONTENT_TYPE_CHARS);
}
