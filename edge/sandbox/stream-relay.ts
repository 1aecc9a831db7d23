/**
 * The parent's side of a streamed response: reads the isolate's events (`stream-events.ts`) in
 * the parent's realm and passes the body on as it comes, enforcing what the isolate cannot be
 * trusted with: the size cap (counted here) and a wall-clock limit. A stream cut by either, or one
 * the handler ended by throwing or being stopped, is ended with an error, so the client sees a
 * broken-off body rather than a complete one; the call log is told why.
 */

import type { CallError } from "../../workers/call-log-types.ts";
import { CALL_LOG, LIMITS } from "../../workers/limits.ts";
import type { LogEntry } from "../../workers/runtime-protocol.ts";
import { overCapMessage } from "../../workers/stream.ts";
import { EVENT, EventDecoder, type StreamEnd } from "./stream-events.ts";

/** How a relayed stream ended, for the call log. */
export interface RelayOutcome {
  /** Body bytes passed on to the client. */
  bytes: number;
  /** Log lines printed while streaming (unchecked: the call log sanitises them), at most `CALL_LOG.maxLogLines`. */
  logs: unknown[];
  /** Log lines left out. */
  logsDropped: number;
  /** The handler's error, or why fnpad cut the stream. */
  error?: unknown;
}

export interface RelayedStream {
  /** The body the client reads. */
  body: ReadableStream<Uint8Array>;
  /** Settles once the stream ended, however it did. */
  ended: Promise<RelayOutcome>;
}

const platformCut = (message: string): CallError => ({ type: "PlatformError", message });

/**
 * Relays `events` to the client until they end, the body passes `LIMITS.responseBodyBytes`, or
 * `deadlineMs` (from now) passes. Whatever happens, `events` is released (cancelled when cut).
 */
export function relayStream(
  events: ReadableStream<Uint8Array>,
  deadlineMs: number = LIMITS.streamMs,
): RelayedStream {
  const reader = events.getReader();
  const decoder = new EventDecoder();
  const outcome: RelayOutcome = { bytes: 0, logs: [], logsDropped: 0 };
  let finished = false;
  let settle: (outcome: RelayOutcome) => void = () => {};
  const ended = new Promise<RelayOutcome>((resolve) => {
    settle = resolve;
  });
  let client: ReadableStreamDefaultController<Uint8Array> | undefined;

  const finish = (error?: unknown) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    if (error !== undefined) outcome.error = error;
    settle(outcome);
  };
  /** Ends the client's body as broken off, and the isolate's stream with it. */
  const cut = (error: unknown, why: string) => {
    if (finished) return;
    finish(error);
    client?.error(new Error(why));
    reader.cancel(why).catch(() => {});
  };
  const timer = setTimeout(() => {
    const message = `stopped: the response stream passed its ${deadlineMs / 1000} s limit`;
    cut(platformCut(message), message);
  }, deadlineMs);

  const keepLog = (entry: unknown) => {
    if (outcome.logs.length < CALL_LOG.maxLogLines) {
      const text = (entry as Partial<LogEntry> | null)?.text;
      // Shortened on arrival, into a string of its own (a slice would keep the whole line alive):
      // only what the record keeps is held while the stream goes on.
      const kept =
        typeof text === "string"
          ? { ...(entry as LogEntry), text: ownCopy(text.slice(0, CALL_LOG.maxLogChars)) }
          : entry;
      outcome.logs.push(kept);
    } else outcome.logsDropped += 1;
  };
  /** Handles one event; returns whether a chunk went to the client. */
  const handle = (
    controller: ReadableStreamDefaultController<Uint8Array>,
    event: ReturnType<EventDecoder["push"]>[number],
  ): boolean => {
    if (event.kind === EVENT.log) {
      keepLog(event.entry);
      return false;
    }
    if (event.kind === EVENT.end) {
      const end = (event.end ?? {}) as StreamEnd;
      if (typeof end.stopped === "string") {
        const message = `stopped: ${end.stopped}`;
        cut(platformCut(message), message);
      } else if (end.error !== undefined) {
        cut(end.error, "the handler failed while streaming");
      } else {
        finish();
        controller.close();
      }
      return false;
    }
    outcome.bytes += event.bytes.byteLength;
    if (outcome.bytes > LIMITS.responseBodyBytes) {
      cut(platformCut(overCapMessage()), overCapMessage());
      return false;
    }
    controller.enqueue(event.bytes);
    return true;
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      client = controller;
    },
    async pull(controller) {
      // Reads until a chunk went out (or the stream is over), so the client's pull is answered.
      while (!finished) {
        let read: ReadableStreamReadResult<Uint8Array>;
        try {
          read = await reader.read();
        } catch (error) {
          const message =
            error instanceof Error && error.name === "TimeoutError"
              ? "stopped: the run passed its deadline"
              : `the isolate's stream failed: ${String(error)}`;
          cut(platformCut(message), message);
          return;
        }
        if (finished) return;
        if (read.done) {
          cut(platformCut("the isolate's stream ended without its end"), "the stream broke off");
          return;
        }
        let events: ReturnType<EventDecoder["push"]>;
        try {
          events = decoder.push(read.value);
        } catch (error) {
          const message = `the isolate's stream is malformed: ${String(error)}`;
          cut(platformCut(message), message);
          return;
        }
        let sent = false;
        for (const event of events) {
          if (finished) break;
          sent = handle(controller, event) || sent;
        }
        if (sent) return;
      }
    },
    cancel() {
      // The client went away: the handler's stream is cancelled too.
      finish();
      reader.cancel("the client went away").catch(() => {});
    },
  });
  return { body, ended };
}

/** `text` in memory of its own, not a view into the string it was sliced from. */
function ownCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
