/** The page accepts only plain data of the protocol's shapes from the runner frame. */
import { describe, expect, test } from "vitest";
import { parseRunnerMessage } from "../../web/src/run/runner-messages.ts";
import { LIMITS } from "../../workers/limits.ts";

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
