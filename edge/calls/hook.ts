/**
 * Records each `/fn` call in its snippet's call log (`call-log.ts`). The endpoint notes what only
 * it knows (the version, the request as the handler got it, the run's logs and error); this
 * middleware adds the response and the time, and hands the record over (batched, `batch.ts`)
 * with `waitUntil`: the response goes out first, and a log that fails is logged, never the
 * caller's problem.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { NewCall } from "../../workers/call-log-types.ts";
import { ERROR_SOURCE_HEADER, OWNER_TOKEN_HEADER } from "../../workers/platform-headers.ts";
import type { HandlerEnv, WireRequest, WireResponse } from "../../workers/runtime-protocol.ts";
import type { RunnableVersion } from "../db.ts";
import { envRedactor } from "../env-redact.ts";
import type { RelayOutcome } from "../sandbox/stream-relay.ts";
import { addToBatch } from "./batch.ts";
import { bodyPreview, redactHeaders, redactQuery } from "./redact.ts";
import { sanitizeContentType, sanitizeError, sanitizeLogs } from "./sanitize.ts";

/** What the endpoint learnt about a call while serving it. */
export interface CallNote {
  version: number;
  /** The request as the handler got it; absent when it was refused before (413). */
  request?: WireRequest;
  /** The isolate's `logs` and `error`, unchecked. */
  logs?: unknown;
  error?: unknown;
  /** The handler's response, once checked. */
  response?: WireResponse;
  /** The snippet's env for this call: its values are taken out of what is recorded. Never stored. */
  env?: HandlerEnv;
  /** Set when the response streams: settles once the stream ended, with what it sent and printed. */
  stream?: Promise<RelayOutcome>;
  /** Log lines left out before they reached the note (a long stream's). */
  logsDropped?: number;
  /** The body's size when it is not `response.body` (a streamed one). */
  responseBytes?: number;
}

const notes = new WeakMap<Context, { snippetId: string; note: CallNote }>();

/** Marks this call as one to record, for `snippet`'s log; fill in the note as the call goes on. */
export function noteCall(c: Context, snippet: RunnableVersion): CallNote {
  const note: CallNote = { version: snippet.version };
  notes.set(c, { snippetId: snippet.id, note });
  return note;
}

/** The call log of snippet `id`. */
export function callLog(env: Env, id: string) {
  return env.CALL_LOG.get(env.CALL_LOG.idFromName(id));
}

/** Set (`wrangler dev --var FNPAD_RECORD_CALLS:off`) only to measure what recording costs. */
function recordingOff(env: Env): boolean {
  return (env as { FNPAD_RECORD_CALLS?: string }).FNPAD_RECORD_CALLS === "off";
}

/** Middleware of the endpoint route: records every call the endpoint noted. */
export const recordCalls: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const arrived = new Date();
  const started = performance.now();
  await next();
  const noted = notes.get(c);
  if (!noted || recordingOff(c.env)) return;
  const { env, res } = c;
  const record = (note: CallNote) => {
    const call = buildCall(c.req.raw, res, note, arrived, performance.now() - started);
    return addToBatch(noted.snippetId, call, (calls) => sendCalls(env, noted.snippetId, calls));
  };
  const { stream } = noted.note;
  if (!stream) {
    const sending = record(noted.note);
    if (sending) c.executionCtx.waitUntil(sending);
    return;
  }
  // A streamed call is recorded once its stream ended (its duration runs until then); the
  // stream itself never waits for the log.
  c.executionCtx.waitUntil(
    stream.then((ended) => record(withStreamEnd(noted.note, ended)) ?? undefined),
  );
};

/** The note of a streamed call, completed with what its stream sent and printed. */
function withStreamEnd(note: CallNote, ended: RelayOutcome): CallNote {
  const before = Array.isArray(note.logs) ? note.logs : [];
  return {
    ...note,
    logs: [...before, ...ended.logs],
    logsDropped: ended.logsDropped,
    error: ended.error ?? note.error,
    responseBytes: ended.bytes,
  };
}

/** Hands `calls` to the snippet's log; resolves either way (a failure is logged). */
async function sendCalls(env: Env, snippetId: string, calls: NewCall[]): Promise<void> {
  try {
    await callLog(env, snippetId).recordMany(calls);
  } catch (error) {
    console.error(`call log of ${snippetId}: ${calls.length} call(s) not recorded:`, error);
  }
}

function buildCall(
  raw: Request,
  response: Response,
  note: CallNote,
  arrived: Date,
  durationMs: number,
): NewCall {
  const url = new URL(raw.url);
  const { logs: lines, dropped } = sanitizeLogs(note.logs);
  // A handler may print or raise its own secret; the log is stored, so the values are taken out.
  const redact = envRedactor(note.env ?? {});
  const logs = lines.map((entry) => ({ ...entry, text: redact(entry.text) }));
  const error = sanitizeError(note.error);
  if (error) Object.assign(error, { type: redact(error.type), message: redact(error.message) });
  const source = response.headers.get(ERROR_SOURCE_HEADER);
  return {
    at: arrived.toISOString(),
    version: note.version,
    method: raw.method,
    // What follows `/fn/<ref>`; the same as the handler's path when it got that far.
    path: note.request?.path ?? `/${url.pathname.split("/").slice(3).join("/")}`,
    // `?api_key=…` is a credential as much as `x-api-key: …` is.
    query: redactQuery(url.search.slice(1)),
    // The owner's token header was fnpad's, not the handler's: left out, not even redacted.
    headers: redactHeaders([...raw.headers].filter(([name]) => name !== OWNER_TOKEN_HEADER)),
    body: bodyPreview(note.request?.body ?? null),
    status: response.status,
    contentType: sanitizeContentType(response.headers.get("content-type")),
    responseBytes: note.responseBytes ?? note.response?.body.byteLength ?? null,
    errorSource: source === "handler" || source === "platform" ? source : null,
    durationMs: Math.round(durationMs * 100) / 100,
    logs,
    logsDropped: dropped + (note.logsDropped ?? 0),
    error,
  };
}
