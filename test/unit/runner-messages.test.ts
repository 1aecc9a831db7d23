/** The page accepts only plain data of the protocol's shapes from the runner frame. */
import { describe, expect, test } from "vitest";
import { parseRunnerMessage } from "../../web/src/run/runner-messages.ts";
import { oversizedOutcome } from "../../web/src/run/stopped.ts";
import { boundOutcome, shorten } from "../../web/src/runner/bound-run.ts";
import { RUNNER_MESSAGE_LIMITS as BOUNDS, LIMITS } from "../../workers/limits.ts";
import type { RunOutcome } from "../../workers/runner-protocol.ts";
import type { LogEntry } from "../../workers/runtime-protocol.ts";

const outcome = {
  response: { status: 200, headers: [["content-type", "text/plain"]], body: new Uint8Array([104]) },
  logs: [{ stream: "stdout", text: "hi", at: 1 }],
  durationMs: 3,
};

describe("messages from the runner frame", () => {
  test.each([
    ["a result", { type: "result", runId: 1, outcome }],
    ["a stopped result", { type: "result", runId: 1, outcome: { ...outcome, stopped: "user" } }],
    ["a log line", { type: "log", runId: 0, entry: { stream: "stderr", text: "x", at: 0 } }],
    [
      "loading progress",
      {
        type: "progress",
        language: "python",
        state: { phase: "loading", progress: { stage: "Downloading Python", fraction: 0.5 } },
      },
    ],
    [
      "a failed runtime",
      { type: "progress", language: "typescript", state: { phase: "failed", message: "x" } },
    ],
    [
      "a syntax check's problems",
      {
        type: "checked",
        checkId: 2,
        problems: [{ line: 3, column: 5, message: "invalid syntax" }],
      },
    ],
    ["a syntax check without problems", { type: "checked", checkId: 0, problems: [] }],
    [
      "a streamed response's head",
      { type: "stream", runId: 1, part: { type: "head", status: 200, headers: [["a", "b"]] } },
    ],
    [
      "a streamed chunk",
      { type: "stream", runId: 1, part: { type: "chunk", bytes: new Uint8Array([1, 2]) } },
    ],
    ["a streamed result", { type: "result", runId: 1, outcome: { ...outcome, streamed: true } }],
  ])("%s is accepted", (_, message) => {
    expect(parseRunnerMessage(message)).toEqual(message);
  });

  test.each([
    ["not an object", "result"],
    ["an unknown type", { type: "eval", code: "alert(1)" }],
    [
      "a body that is not bytes",
      {
        type: "result",
        runId: 1,
        outcome: { ...outcome, response: { ...outcome.response, body: "hi" } },
      },
    ],
    [
      "a status no HTTP response has",
      {
        type: "result",
        runId: 1,
        outcome: { ...outcome, response: { ...outcome.response, status: 99 } },
      },
    ],
    [
      "a header that is not a pair of strings",
      {
        type: "result",
        runId: 1,
        outcome: { ...outcome, response: { ...outcome.response, headers: [["a"]] } },
      },
    ],
    [
      "a function where data belongs",
      { type: "log", runId: 0, entry: { stream: "stdout", text: () => "x", at: 0 } },
    ],
    ["an unknown language", { type: "progress", language: "ruby", state: { phase: "ready" } }],
    [
      "an unknown stop reason",
      { type: "result", runId: 1, outcome: { ...outcome, stopped: "boom" } },
    ],
    [
      "a negative run id",
      { type: "log", runId: -1, entry: { stream: "stdout", text: "x", at: 0 } },
    ],
    [
      "a problem on line 0",
      { type: "checked", checkId: 1, problems: [{ line: 0, column: 1, message: "x" }] },
    ],
    [
      "a problem whose message is not text",
      { type: "checked", checkId: 1, problems: [{ line: 1, column: 1, message: { html: "<b>" } }] },
    ],
    [
      "too many problems",
      {
        type: "checked",
        checkId: 1,
        problems: Array.from({ length: 101 }, () => ({ line: 1, column: 1, message: "x" })),
      },
    ],
    [
      "a streamed chunk that is not bytes",
      { type: "stream", runId: 1, part: { type: "chunk", bytes: "text" } },
    ],
    [
      "a streamed chunk larger than the size cap",
      {
        type: "stream",
        runId: 1,
        part: { type: "chunk", bytes: new Uint8Array(LIMITS.responseBodyBytes + 1) },
      },
    ],
    [
      "a streamed head with a status no HTTP response has",
      { type: "stream", runId: 1, part: { type: "head", status: 42, headers: [] } },
    ],
    [
      "a streamed head with too many headers",
      {
        type: "stream",
        runId: 1,
        part: { type: "head", status: 200, headers: Array.from({ length: 201 }, () => ["a", "b"]) },
      },
    ],
    [
      "a stream part that is a function",
      { type: "stream", runId: 1, part: { type: "chunk", bytes: () => new Uint8Array() } },
    ],
  ])("%s is dropped", (_, message) => {
    expect(parseRunnerMessage(message)).toBeNull();
  });

  test("fields the protocol does not have are not passed on", () => {
    const parsed = parseRunnerMessage({
      type: "log",
      runId: 0,
      entry: { stream: "stdout", text: "x", at: 0, html: "<b>" },
      extra: 1,
    });
    expect(parsed).toEqual({
      type: "log",
      runId: 0,
      entry: { stream: "stdout", text: "x", at: 0 },
    });
  });
});

/** A result message whose outcome has `change` made to it. */
const resultWith = (change: Record<string, unknown>) => ({
  type: "result",
  runId: 4,
  outcome: { ...outcome, ...change },
});
const line = (text: string): LogEntry => ({ stream: "stdout", text, at: 0 });
const response = outcome.response;

// A runner taken over by its snippet controls what it posts: a result too big to render must end
// the run with a clear error, not hang the page (nor wait for a watchdog that it then resets).
describe("a runner that sends more than the page shows", () => {
  test.each([
    [
      "a response body over the size cap",
      resultWith({ response: { ...response, body: new Uint8Array(LIMITS.responseBodyBytes + 1) } }),
      "a response body over 8 MiB",
    ],
    [
      "too many headers",
      resultWith({
        response: { ...response, headers: Array.from({ length: 201 }, () => ["a", "b"]) },
      }),
      "more than 200 headers",
    ],
    [
      "a huge header value",
      resultWith({
        response: { ...response, headers: [["a", "x".repeat(BOUNDS.headerChars + 1)]] },
      }),
      "a header over 16384 characters",
    ],
    [
      "too many log lines",
      resultWith({ logs: Array.from({ length: BOUNDS.logLines + 1 }, () => line("x")) }),
      "more than 10000 log lines",
    ],
    [
      "a huge log line",
      resultWith({ logs: [line("x".repeat(BOUNDS.logLineChars + 1))] }),
      "a log line over 10000 characters",
    ],
    [
      "log lines too long together",
      resultWith({ logs: Array.from({ length: 101 }, () => line("x".repeat(10_000))) }),
      "log lines over 1000000 characters in all",
    ],
    [
      "a huge traceback",
      resultWith({
        error: { type: "E", message: "m", traceback: "x".repeat(BOUNDS.errorChars + 1) },
      }),
      "an exception over 65536 characters",
    ],
    [
      "a streamed log line that is too long",
      { type: "log", runId: 4, entry: line("x".repeat(BOUNDS.logLineChars + 1)) },
      "a log line over 10000 characters",
    ],
  ])("%s ends the run as oversized", (_, message, what) => {
    expect(parseRunnerMessage(message)).toEqual({ type: "oversized", runId: 4, what });
  });

  test.each([
    ["a failed runtime's message", { phase: "failed", message: "A".repeat(BOUNDS.errorChars + 1) }],
    ["a loading stage", { phase: "loading", progress: { stage: "A".repeat(201) } }],
  ])(
    "%s too long to show in the status line is refused (taken-over runners sent 50 million characters)",
    (_, state) => {
      expect(parseRunnerMessage({ type: "progress", language: "python", state })).toBeNull();
      const honest =
        "phase" in state && state.phase === "failed"
          ? { phase: "failed", message: "No Python" }
          : { phase: "loading", progress: { stage: "Starting Python" } };
      expect(
        parseRunnerMessage({ type: "progress", language: "python", state: honest }),
      ).not.toBeNull();
    },
  );

  test("its run ends with fnpad's 502 saying so", () => {
    const ended = oversizedOutcome("a response body over 8 MiB", performance.now());
    expect(ended.response.status).toBe(502);
    expect(new TextDecoder().decode(ended.response.body)).toContain(
      "the runner sent an oversized result (a response body over 8 MiB)",
    );
    expect(ended.logs).toEqual([]);
  });

  test("an oversized result that is also malformed is dropped, as any malformed one", () => {
    const message = { ...resultWith({ logs: [line("x".repeat(20_000))] }), runId: "4" };
    expect(parseRunnerMessage(message)).toBeNull();
  });

  test("an honest runner's result of a handler that prints and raises a lot is shortened to fit", () => {
    const printed = Array.from({ length: 20_000 }, (_, n) => line(`line ${n} ${"x".repeat(200)}`));
    const huge = {
      ...outcome,
      logs: [line("y".repeat(50_000)), ...printed],
      error: { type: "ValueError", message: "z".repeat(100_000), traceback: "t" },
    } as RunOutcome;
    const bounded = boundOutcome(huge);
    const parsed = parseRunnerMessage({ type: "result", runId: 1, outcome: bounded });
    expect(parsed).toEqual({ type: "result", runId: 1, outcome: bounded });
    expect(bounded.logs[0]?.text).toMatch(/^y{9960}… \(40040 more characters\)$/);
    expect(bounded.logs.at(-1)?.text).toMatch(/^… \d+ more lines not shown/);
    expect(bounded.error?.message).toMatch(/… \(\d+ more characters\)$/);
  });
});

test("shortening never cuts a character in two", () => {
  const text = `${"x".repeat(59)}😀${"y".repeat(100)}`;
  const short = shorten(text, 100);
  expect(short.startsWith(`${"x".repeat(59)}…`)).toBe(true);
  expect(short.length).toBeLessThanOrEqual(100);
});
