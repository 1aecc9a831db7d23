/**
 * The framed events a streaming isolate sends its parent: they survive being split or joined
 * anyhow on the way (the runner relay's HTTP hop does both), and anything malformed is refused.
 */
import { describe, expect, it } from "vitest";
import {
  EVENT,
  EventDecoder,
  eventStream,
  type StreamEvent,
} from "../../edge/sandbox/stream-events.ts";
import type { LogEntry } from "../../workers/runtime-protocol.ts";
import type { HandlerStream, StreamStep } from "../../workers/stream.ts";

/** A stream of `steps`, printing one log line before the second chunk. */
function scripted(steps: StreamStep[], logs: LogEntry[]): HandlerStream & { cancelled: boolean } {
  let index = 0;
  return {
    cancelled: false,
    async next() {
      if (index === 1) logs.push({ stream: "stdout", text: "midway", at: 1 });
      return steps[index++] ?? { done: true };
    },
    cancel() {
      this.cancelled = true;
    },
  };
}

async function allBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("stream events", () => {
  const logs: LogEntry[] = [{ stream: "stdout", text: "before", at: 0 }];
  const steps: StreamStep[] = [
    { chunk: new TextEncoder().encode("a") },
    { chunk: new TextEncoder().encode("bc") },
    { done: true, error: { type: "ValueError", message: "late", traceback: "" } },
  ];

  it("decode the same however the bytes are cut", async () => {
    // The run's log, which keeps growing while the handler streams; its first line went with the head.
    const runLogs = [...logs];
    const bytes = await allBytes(eventStream(scripted(steps, runLogs), runLogs, 1));
    for (const size of [1, 2, 3, 7, bytes.byteLength]) {
      const decoder = new EventDecoder();
      const events: StreamEvent[] = [];
      for (let at = 0; at < bytes.byteLength; at += size)
        events.push(...decoder.push(bytes.subarray(at, at + size)));
      expect(decoder.pending).toBe(false);
      expect(
        events.map((event) =>
          event.kind === EVENT.chunk
            ? text(event.bytes)
            : event.kind === EVENT.log
              ? event.entry
              : event.end,
        ),
      ).toEqual([
        "a",
        { stream: "stdout", text: "midway", at: 1 },
        "bc",
        { error: { type: "ValueError", message: "late", traceback: "" } },
      ]);
    }
  });

  it("cancel the handler's stream when the parent cancels", async () => {
    const stream = scripted([{ chunk: new Uint8Array(1) }, { chunk: new Uint8Array(1) }], []);
    const reader = eventStream(stream, [], 0).getReader();
    await reader.read();
    await reader.cancel("cut");
    expect(stream.cancelled).toBe(true);
  });

  it("refuse an unknown kind and a frame longer than any body may be", () => {
    expect(() => new EventDecoder().push(new Uint8Array([9, 0, 0, 0, 0]))).toThrow(/kind 9/);
    expect(() => new EventDecoder().push(new Uint8Array([1, 0x7f, 0, 0, 0]))).toThrow(/bytes/);
  });

  it("refuse a log or end frame past 64 KiB, which no line count bounds, before its bytes come", () => {
    // 64 KiB + 1 as the length: the header alone is enough to refuse it.
    for (const kind of [EVENT.log, EVENT.end]) {
      const header = new Uint8Array([kind, 0, 1, 0, 1]);
      expect(() => new EventDecoder().push(header), `kind ${kind}`).toThrow(/65537 bytes/);
    }
    expect(new EventDecoder().push(new Uint8Array([EVENT.chunk, 0, 1, 0, 1]))).toEqual([]);
  });

  it("send a long line or error shortened, so that an honest isolate's frames always pass", async () => {
    // Control characters: 6 bytes each as JSON escapes, the longest a character encodes to.
    const long = "\u0001".repeat(200_000);
    const runLogs: LogEntry[] = [];
    const stream = scripted(
      [
        { chunk: new Uint8Array(1) },
        { done: true, error: { type: "E", message: long, traceback: long } },
      ],
      runLogs,
    );
    runLogs.push({ stream: "stdout", text: long, at: 0 });
    const events = new EventDecoder().push(await allBytes(eventStream(stream, runLogs, 0)));
    const [line] = events.filter((event) => event.kind === EVENT.log);
    const [end] = events.filter((event) => event.kind === EVENT.end);
    const shown = (line as { entry: LogEntry }).entry.text;
    expect(shown.slice(0, 3000)).toBe(long.slice(0, 3000));
    expect(shown.slice(3000)).toBe("… (197000 more characters)");
    expect(JSON.stringify(end)).toContain("(197000 more characters)");
  });
});
