/**
 * Streamed response bodies, between a language's harness (which makes the steps) and whoever
 * sends them on: the browser and Node runtimes collect them here (`collectStream`), an edge
 * isolate turns them into framed events for its parent (`edge/sandbox/stream-events.ts`).
 */
import { joinChunks } from "./bytes.ts";
import { handlerErrorResponse, platformErrorResponse, stoppedResponse } from "./http.ts";
import { LIMITS } from "./limits.ts";
import type { HandlerError, HeaderPair, RunResult, StreamSink } from "./runtime-protocol.ts";

/** One step of a handler's stream: a chunk, or its end (with why, when it did not end well). */
export type StreamStep =
  | { chunk: Uint8Array }
  | {
      done: true;
      /** The handler raised or threw while making the stream. */
      error?: HandlerError;
      /** A guard stopped it (`work budget exceeded`, …). */
      stopped?: string;
    };

/** A body the handler is still making. */
export interface HandlerStream {
  /** The next step; never rejects (the handler's errors come as a `done` step). */
  next(): Promise<StreamStep>;
  /** Ends the stream early (a limit cut it); the handler's generator or source is cancelled. */
  cancel(): void;
}

/** A run whose handler returned a stream: `response` holds its status and headers so far. */
export interface StreamingRun extends RunResult {
  stream?: HandlerStream;
}

/** `stream`, calling `onEnd` (once) when it ends or is cancelled. */
function endingWith(stream: HandlerStream, onEnd: () => void): HandlerStream {
  return {
    async next() {
      try {
        const step = await stream.next();
        if ("done" in step) onEnd();
        return step;
      } catch (thrown) {
        onEnd();
        throw thrown;
      }
    },
    cancel() {
      onEnd();
      stream.cancel();
    },
  };
}

/** `run`, calling `onEnd` (once) when it is over: now, or when its stream ends or is cancelled. */
export function endingWhenDone(run: StreamingRun, onEnd: () => void): StreamingRun {
  if (!run.stream) {
    onEnd();
    return run;
  }
  return { ...run, stream: endingWith(run.stream, onEnd) };
}

/** Why fnpad cut a stream that passed the size cap (the same words at the edge and in the browser). */
export function overCapMessage(): string {
  const megabytes = LIMITS.responseBodyBytes / (1024 * 1024);
  return `the handler's response stream passed ${megabytes} MiB and was cut off`;
}

/**
 * Reads `stream` to its end, handing the head and each chunk to `onStream` as they come, and
 * returns the run's response: the whole body, the handler's 500 when it failed midway, a 503 when
 * a guard stopped it, or a 502 once it passed the size cap (the stream is then cancelled).
 */
export async function collectStream(
  head: { status: number; headers: HeaderPair[] },
  stream: HandlerStream,
  onStream?: StreamSink,
): Promise<Pick<RunResult, "response" | "error">> {
  onStream?.({ type: "head", status: head.status, headers: head.headers });
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const step = await stream.next();
    if ("chunk" in step) {
      size += step.chunk.byteLength;
      if (size > LIMITS.responseBodyBytes) {
        stream.cancel();
        return { response: platformErrorResponse(502, overCapMessage()) };
      }
      chunks.push(step.chunk);
      onStream?.({ type: "chunk", bytes: step.chunk });
      continue;
    }
    if (step.stopped) return { response: stoppedResponse(step.stopped) };
    if (step.error) return { response: handlerErrorResponse(step.error), error: step.error };
    return { response: { ...head, body: joinChunks(chunks, size) } };
  }
}
