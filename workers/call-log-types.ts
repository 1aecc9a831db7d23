/**
 * A snippet's call log as its owner gets it: the records (`/api/snippets/:id/calls`) and the live
 * channel's messages and subprotocols (`/api/snippets/:id/calls/live`).
 */

import type { HeaderPair, LogEntry } from "./runtime-protocol.ts";

/** A request body as a call record keeps it: its size, and its start when it is text. */
export interface CallBody {
  /** Size in bytes; null when it was not read (a body over the endpoint's limit). */
  bytes: number | null;
  /** The first `CALL_LOG.bodyPreviewBytes` as text when the body is UTF-8; absent for binary or empty bodies. */
  text?: string;
}

/** The handler's exception as a call record keeps it (no traceback: the line says where). */
export interface CallError {
  /** Exception type name, e.g. `ZeroDivisionError`. */
  type: string;
  /** The exception's message (shortened when very long). */
  message: string;
  /** 1-based line in the user's code, when known. */
  line?: number;
}

/** A call as recorded, before the log gives it its place (`seq`). */
export type NewCall = Omit<CallRecord, "seq">;

/** One call to a snippet's endpoint, as its owner's call log keeps it (`/api/snippets/:id/calls`). */
export interface CallRecord {
  /** Position in the snippet's log, increasing: the cursor for older pages and for catching up. */
  seq: number;
  /** When the call arrived at the edge (ISO 8601). */
  at: string;
  /** The snippet version that ran. */
  version: number;
  /** Upper-case HTTP method. */
  method: string;
  /** Path relative to the endpoint, as sent (`/fn/:id/users/7` gives `/users/7`). */
  path: string;
  /** Raw query string without the `?` (may be empty). */
  query: string;
  /** Request headers in order; values of credential-like headers replaced by `CALL_LOG.redacted`. */
  headers: HeaderPair[];
  /** The request body: its size and a text preview. */
  body: CallBody;
  /** The response status sent. */
  status: number;
  /** The response's content type, when it had one. */
  contentType: string | null;
  /** The response body's size in bytes, when the handler made one. */
  responseBytes: number | null;
  /** Who made an error response (`x-fnpad-error`): `handler`, `platform`, or null for none. */
  errorSource: "handler" | "platform" | null;
  /** Milliseconds from the call's arrival at the edge to its response, measured by the edge. */
  durationMs: number;
  /** What the handler printed, in order (at most `CALL_LOG.maxLogLines`, each line shortened). */
  logs: LogEntry[];
  /** How many log lines were left out to keep the record small. */
  logsDropped: number;
  /** The handler's exception, when it threw. */
  error: CallError | null;
}

/** A page of a snippet's call log, newest first (`GET /api/snippets/:id/calls?before=<seq>`). */
export interface CallPage {
  /** The calls, newest first. */
  calls: CallRecord[];
  /** `seq` to pass as `before` for the next (older) page; null when there is none. */
  next: number | null;
}

/** A message on a call log's live channel (`/api/snippets/:id/calls/live`), server to page. */
export type CallFeedMessage =
  /** Calls the log recorded since the viewer last heard, oldest first. */
  { type: "calls"; calls: CallRecord[] };

/** A message on a call log's live channel, page to server. */
export type CallFeedRequest =
  /** Send every kept call newer than `seq` (after connecting, to close the gap since the page's list). */
  { type: "since"; seq: number };

/** The WebSocket subprotocol of the live channel; the token goes as a second one, `CALL_TOKEN_PROTOCOL_PREFIX<token>`. */
export const CALL_FEED_PROTOCOL = "fnpad-calls";

/** Prefix of the subprotocol that carries the edit token (headers, never the URL). */
export const CALL_TOKEN_PROTOCOL_PREFIX = "fnpad-token.";
