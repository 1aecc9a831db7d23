/**
 * The bounds the page keeps on what a runner sends during a run (`web/src/run/run-in-flight.ts`):
 * a runner taken over by its code may send anything.
 */
import { expect, test } from "vitest";
import { RunInFlight } from "../../web/src/run/run-in-flight.ts";
import { LIMITS, RUNNER_MESSAGE_LIMITS } from "../../workers/limits.ts";
import type { LogEntry, StreamPart } from "../../workers/runtime-protocol.ts";

function run() {
  const logs: LogEntry[] = [];
  const parts: StreamPart[] = [];
  const inFlight = new RunInFlight({
    runId: 1,
    language: "python",
    started: 0,
    onLog: (entry) => logs.push(entry),
    onStream: (part) => parts.push(part),
    resolve: () => {},
    watchdog: setTimeout(() => {}, 0),
  });
  return { inFlight, logs, parts };
}

const line = (text: string): LogEntry => ({ stream: "stdout", text, at: 0 });

test("log lines pass until the run's count of lines, or of characters, is spent", () => {
  const byLines = run();
  for (let i = 0; i < RUNNER_MESSAGE_LIMITS.logLines + 5; i += 1) byLines.inFlight.log(line("x"));
  expect(byLines.logs.length).toBe(RUNNER_MESSAGE_LIMITS.logLines);

  const byChars = run();
  const big = "y".repeat(RUNNER_MESSAGE_LIMITS.logChars / 4);
  for (let i = 0; i < 6; i += 1) byChars.inFlight.log(line(big));
  expect(byChars.logs.length).toBe(4);
});

test("a streamed response passes as one head, then chunks up to the size cap; the rest is dropped", () => {
  const { inFlight, parts } = run();
  const chunk = (bytes: number): StreamPart => ({ type: "chunk", bytes: new Uint8Array(bytes) });
  inFlight.stream(chunk(10)); // before the head
  inFlight.stream({ type: "head", status: 200, headers: [] });
  inFlight.stream({ type: "head", status: 500, headers: [] }); // a second head
  inFlight.stream(chunk(LIMITS.responseBodyBytes - 1));
  inFlight.stream(chunk(1));
  inFlight.stream(chunk(1)); // past the cap
  expect(parts.map((part) => (part.type === "head" ? part.status : part.bytes.length))).toEqual([
    200,
    LIMITS.responseBodyBytes - 1,
    1,
  ]);
});
