/**
 * How a streamed response leaves a snippet's isolate: one byte stream of framed events (a body
 * chunk, a log line, the end), read by the parent (`stream-relay.ts`) in its own realm. The same
 * bytes cross the RPC boundary in production and the local runner processes' HTTP relay, so both
 * paths send and check a stream alike. Frame: `[kind: 1 byte][length: 4 bytes, big-endian][payload]`.
 */

import { joinChunks } from "../../workers/bytes.ts";
import type { HandlerError, LogEntry, RunResult } from "../../workers/runtime-protocol.ts";
import type { HandlerStream } from "../../workers/stream.ts";
import { shorten } from "../calls/sanitize.ts";

export const EVENT = { chunk: 1, log: 2, end: 3 } as const;

/** What the isolate says at the end: why the stream ended early, if it did. */
export interface StreamEnd {
  error?: HandlerError;
  stopped?: string;
}

const HEADER_BYTES = 5;
const encoder = new TextEncoder();

function frame(kind: number, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(HEADER_BYTES + payload.byteLength);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, kind);
  view.setUint32(1, payload.byteLength);
  bytes.set(payload, HEADER_BYTES);
  return bytes;
}

const jsonFrame = (kind: number, value: unknown) =>
  frame(kind, encoder.encode(JSON.stringify(value)));

/**
 * Longest text a log or end frame carries, in characters: a frame of it stays under
 * `MAX_JSON_FRAME_BYTES` however it encodes (6 bytes a character at most, as a JSON `\u` escape;
 * an end frame carries three such texts).
 * The call log keeps far less of a line (`CALL_LOG.maxLogChars`); its "more characters" count
 * then counts from here.
 */
const FRAME_TEXT_CHARS = 3000;

const shortened = (text: string) => shorten(text, FRAME_TEXT_CHARS);

/** A log line as its frame carries it. */
const logFrame = (entry: LogEntry) =>
  jsonFrame(EVENT.log, { ...entry, text: shortened(entry.text) });

/** The end as its frame carries it: an error's text shortened like a log line's. */
function endFrame(end: StreamEnd) {
  const { error, stopped } = end;
  const framed: StreamEnd = {};
  if (error) {
    framed.error = {
      ...error,
      type: shortened(error.type),
      message: shortened(error.message),
      traceback: shortened(error.traceback),
    };
  }
  if (stopped !== undefined) framed.stopped = shortened(stopped);
  return jsonFrame(EVENT.end, framed);
}

/**
 * The isolate's side: `stream`'s chunks as events, each preceded by the log lines printed since
 * the last (`logs` keeps growing while the handler streams; those before `sentLogs` went with the
 * run's result). Pulled by the reader, so a slow client slows the handler down, not memory up.
 */
export function eventStream(
  stream: HandlerStream,
  logs: readonly LogEntry[],
  sentLogs: number,
): ReadableStream<Uint8Array> {
  let sent = sentLogs;
  const flushLogs = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    for (; sent < logs.length; sent += 1) {
      const entry = logs[sent];
      if (entry) controller.enqueue(logFrame(entry));
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const step = await stream.next();
      flushLogs(controller);
      if ("chunk" in step) {
        controller.enqueue(frame(EVENT.chunk, step.chunk));
        return;
      }
      const end: StreamEnd = {};
      if (step.error) end.error = step.error;
      if (step.stopped) end.stopped = step.stopped;
      controller.enqueue(endFrame(end));
      controller.close();
    },
    cancel() {
      stream.cancel();
    },
  });
}

/** What an isolate's `run` answers: a streamed body comes as `events`, after the head in `response`. */
export interface IsolateRun extends RunResult {
  events?: ReadableStream<Uint8Array>;
  /**
   * A Python isolate not booted yet, called without boot files: nothing ran, call again with them
   * (`loader.ts`). Only a new isolate is ever handed them.
   */
  needsBootFiles?: true;
}

/** The isolate's answer for a run whose handler streams (the logs so far go with it). */
export function streamedRun(result: RunResult, stream: HandlerStream): IsolateRun {
  const logs = result.logs.slice();
  return { ...result, logs, streamed: true, events: eventStream(stream, result.logs, logs.length) };
}

/** One decoded event. */
export type StreamEvent =
  | { kind: typeof EVENT.chunk; bytes: Uint8Array }
  | { kind: typeof EVENT.log; entry: unknown }
  | { kind: typeof EVENT.end; end: unknown };

/** Largest frame the parent accepts; a chunk beyond it is past the size cap anyway. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/**
 * Largest log or end frame the parent accepts: an honest isolate's are shorter (`FRAME_TEXT_CHARS`).
 * Log lines count against no byte cap, so without it a handler could make the parent parse and
 * hold a 16 MiB line per body byte it sends.
 */
const MAX_JSON_FRAME_BYTES = 64 * 1024;

/**
 * The parent's side: reassembles frames from bytes that may arrive split or joined anyhow.
 * Throws on anything malformed (the isolate may have been taken over; the relay then cuts).
 */
export class EventDecoder {
  #pieces: Uint8Array[] = [];
  #size = 0;
  /** Bytes the next frame needs in all; pieces are only joined once that many arrived. */
  #needed = HEADER_BYTES;

  /** The whole events `bytes` completes, in order. */
  push(bytes: Uint8Array): StreamEvent[] {
    this.#pieces.push(bytes);
    this.#size += bytes.byteLength;
    if (this.#size < this.#needed) return [];
    const joined = joinChunks(this.#pieces, this.#size);
    const events: StreamEvent[] = [];
    let offset = 0;
    this.#needed = HEADER_BYTES;
    while (joined.byteLength - offset >= HEADER_BYTES) {
      const view = new DataView(joined.buffer, joined.byteOffset + offset, HEADER_BYTES);
      const kind = view.getUint8(0);
      const length = view.getUint32(1);
      const most = kind === EVENT.chunk ? MAX_FRAME_BYTES : MAX_JSON_FRAME_BYTES;
      if (length > most) throw new Error(`stream frame of kind ${kind} and ${length} bytes`);
      if (joined.byteLength - offset - HEADER_BYTES < length) {
        this.#needed = HEADER_BYTES + length;
        break;
      }
      const payload = joined.slice(offset + HEADER_BYTES, offset + HEADER_BYTES + length);
      offset += HEADER_BYTES + length;
      events.push(decodeEvent(kind, payload));
    }
    const rest = joined.subarray(offset);
    this.#pieces = rest.byteLength > 0 ? [rest] : [];
    this.#size = rest.byteLength;
    return events;
  }

  /** Whether bytes of an unfinished frame are left over. */
  get pending(): boolean {
    return this.#size > 0;
  }
}

function decodeEvent(kind: number, payload: Uint8Array): StreamEvent {
  if (kind === EVENT.chunk) return { kind, bytes: payload };
  if (kind !== EVENT.log && kind !== EVENT.end)
    throw new Error(`unknown stream frame kind ${kind}`);
  const value: unknown = JSON.parse(new TextDecoder().decode(payload));
  return kind === EVENT.log ? { kind, entry: value } : { kind, end: value };
}
