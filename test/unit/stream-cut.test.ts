import { describe, expect, test } from "vitest";
import { streamCut } from "../../web/src/run/stream-cut.ts";
import { handlerErrorResponse, stoppedResponse } from "../../workers/http.ts";
import type { HeaderPair, StreamPart, WireResponse } from "../../workers/runtime-protocol.ts";
import { collectStream, type HandlerStream, type StreamStep } from "../../workers/stream.ts";

const encoder = new TextEncoder();
const HEAD = { status: 200, headers: [["content-type", "text/event-stream"]] as HeaderPair[] };

/** A handler's stream that gives `steps` in turn. */
function streamOf(steps: StreamStep[]): HandlerStream {
  return { next: async () => steps.shift() ?? { done: true }, cancel: () => {} };
}

/** Reads `steps` as the browser runtime does; returns what the page received and the run's answer. */
async function run(steps: StreamStep[]): Promise<{ body: Uint8Array; ending: WireResponse }> {
  const parts: StreamPart[] = [];
  const { response } = await collectStream(HEAD, streamOf(steps), (part) => parts.push(part));
  const chunks = parts.flatMap((part) => (part.type === "chunk" ? [part.bytes] : []));
  const body = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { body, ending: response };
}

const ticks = [{ chunk: encoder.encode("data: 1\n\n") }, { chunk: encoder.encode("data: 2\n\n") }];

describe("a streamed response cut before its end", () => {
  test("a stream that ended well is not cut", async () => {
    const { body, ending } = await run([...ticks, { done: true }]);
    expect(streamCut(HEAD, body, ending)).toBeNull();
  });

  test("a run that never streamed is not cut", () => {
    expect(streamCut(null, new Uint8Array(), stoppedResponse("time budget exceeded"))).toBeNull();
  });

  test("a guard's stop keeps the chunks received, the status sent, and says why", async () => {
    const { body, ending } = await run([...ticks, { done: true, stopped: "work budget exceeded" }]);
    const cut = streamCut(HEAD, body, ending);
    expect(cut?.received.status).toBe(200);
    expect(new TextDecoder().decode(cut?.received.body)).toBe("data: 1\n\ndata: 2\n\n");
    expect(cut?.ending.status).toBe(503);
    expect(cut?.reason).toBe("stopped: work budget exceeded");
  });

  test("the page's time budget (the worker ended, the 503 made by the page) is a cut", async () => {
    // The budget ends the run from outside: the stream's chunks came, then the page's 503.
    const { body } = await run([...ticks]);
    const cut = streamCut(HEAD, body, stoppedResponse("time budget exceeded"));
    expect(cut?.received.body.byteLength).toBe(18);
    expect(cut?.reason).toBe("stopped: time budget exceeded");
  });

  test("the handler's exception midway names its type", async () => {
    const error = { type: "ValueError", message: "no more", traceback: "" };
    const { body, ending } = await run([...ticks, { done: true, error }]);
    expect(ending).toEqual(handlerErrorResponse(error));
    expect(streamCut(HEAD, body, ending)?.reason).toBe("ValueError: no more");
  });
});
