/** The call log's pure parts: redaction, body previews, bounded logs, the page's merge and replay. */
import { describe, expect, test } from "vitest";
import { bodyPreview, isRedacted, redactHeaders, redactQuery } from "../../edge/calls/redact.ts";
import { sanitizeError, sanitizeLogs } from "../../edge/calls/sanitize.ts";
import { replayBodyNote, replayDraft } from "../../web/src/calls/replay.ts";
import { mergeCalls } from "../../web/src/calls/use-calls.ts";
import type { CallRecord } from "../../workers/call-log-types.ts";
import { CALL_LOG } from "../../workers/limits.ts";
import { fakeCall } from "../e2e/calls-page.ts";

describe("redaction", () => {
  test.each([
    "Authorization",
    "cookie",
    "Proxy-Authorization",
    "x-api-key",
    "X-Auth-Token",
    "x-client-secret",
    "x-session",
  ])("%s is redacted", (name) => expect(isRedacted(name)).toBe(true));
  test.each(["accept", "content-type", "user-agent", "x-kind"])("%s is kept", (name) =>
    expect(isRedacted(name)).toBe(false),
  );
  test("names and order stay", () => {
    expect(
      redactHeaders([
        ["cookie", "a=1"],
        ["accept", "*/*"],
      ]),
    ).toEqual([
      ["cookie", CALL_LOG.redacted],
      ["accept", "*/*"],
    ]);
  });
});

describe("query redaction", () => {
  test("credential-like parameters lose their values; the rest stays as sent", () => {
    const query =
      "api_key=sk-1&name=Ada%20B&Token=t&access%5Ftoken=a&password=p&session=s&flag&x=1";
    expect(redactQuery(query)).toBe(
      "api_key=[redacted]&name=Ada%20B&Token=[redacted]&access%5Ftoken=[redacted]&password=[redacted]&session=[redacted]&flag&x=1",
    );
    expect(redactQuery("")).toBe("");
    expect(redactQuery("q=a%ZZ&secret=%ZZ")).toBe("q=a%ZZ&secret=[redacted]");
  });
});

describe("body previews", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  test("text up to 4 KB, without a character cut at the edge", () => {
    const preview = bodyPreview(bytes(`a${"€".repeat(2000)}`));
    expect(preview.bytes).toBe(6001);
    expect(preview.text).toBe(`a${"€".repeat(1365)}`);
  });
  test("binary and NUL-bearing bodies are a size only", () => {
    expect(bodyPreview(new Uint8Array([0xff, 0xfe]))).toEqual({ bytes: 2 });
    expect(bodyPreview(bytes("a\0b"))).toEqual({ bytes: 3 });
  });
  test("empty, and not read", () => {
    expect(bodyPreview(new Uint8Array())).toEqual({ bytes: 0 });
    expect(bodyPreview(null)).toEqual({ bytes: null });
  });
});

describe("what the isolate reports is checked and bounded", () => {
  test("malformed entries are dropped, long lines shortened, extra lines counted", () => {
    const line = { stream: "stdout", text: "x".repeat(5000), at: 1 };
    const logs = [{ stream: "evil", text: "?" }, 42, ...Array.from({ length: 150 }, () => line)];
    const kept = sanitizeLogs(logs);
    expect(kept.logs).toHaveLength(CALL_LOG.maxLogLines);
    expect(kept.dropped).toBe(152 - CALL_LOG.maxLogLines);
    expect(kept.logs[0]?.text.startsWith("x".repeat(CALL_LOG.maxLogChars))).toBe(true);
    expect(kept.logs[0]?.text.length).toBeLessThan(CALL_LOG.maxLogChars + 40);
    expect(sanitizeLogs("nope")).toEqual({ logs: [], dropped: 0 });
  });
  test("an error keeps type, message and a positive line only", () => {
    expect(sanitizeError({ type: "E", message: "m", line: 3, traceback: "t" })).toEqual({
      type: "E",
      message: "m",
      line: 3,
    });
    expect(sanitizeError({ type: "E", message: "m", line: -1 })).toEqual({
      type: "E",
      message: "m",
    });
    expect(sanitizeError({ type: 1 })).toBeNull();
  });
});

describe("the page's list and replay", () => {
  test("merging keeps each call once, newest first, bounded like the log", () => {
    const shown = [fakeCall(3), fakeCall(2)];
    const merged = mergeCalls(shown, [fakeCall(3), fakeCall(4)]);
    expect(merged.map((call) => call.seq)).toEqual([4, 3, 2]);
    const many = Array.from({ length: 300 }, (_, index) => fakeCall(index + 1));
    expect(mergeCalls([], many)).toHaveLength(CALL_LOG.keep);
    expect(mergeCalls([], many)[0]?.seq).toBe(300);
  });
  test("a call becomes the builder's request, without redacted or transport headers", () => {
    const call: CallRecord = {
      ...fakeCall(1),
      method: "POST",
      path: "/items/a%20b",
      query: "name=Ada&tag=x&tag=y",
      headers: [
        ["host", "example.com"],
        ["content-type", "application/json"],
        ["authorization", CALL_LOG.redacted],
        ["cf-connecting-ip", "1.2.3.4"],
      ],
      body: { bytes: 8, text: '{"n": 1}' },
    };
    const draft = replayDraft(call);
    expect(draft).toMatchObject({ method: "POST", path: "/items/a%20b", body: '{"n": 1}' });
    expect(draft.query.map((row) => [row.name, row.value])).toEqual([
      ["name", "Ada"],
      ["tag", "x"],
      ["tag", "y"],
    ]);
    expect(draft.headers.map((row) => row.name)).toEqual(["content-type"]);
  });
  test("replay leaves out what curl, a browser, a proxy or the edge added by itself", () => {
    const call: CallRecord = {
      ...fakeCall(1),
      headers: [
        ["accept", "*/*"],
        ["user-agent", "curl/8.5.0"],
        ["accept-encoding", "gzip, br"],
        ["host", "fnpad.example"],
        ["content-length", "8"],
        ["connection", "Keep-Alive"],
        ["cf-ray", "8f00-LHR"],
        ["cf-ipcountry", "GB"],
        ["cdn-loop", "cloudflare"],
        ["x-forwarded-proto", "https"],
        ["x-real-ip", "1.2.3.4"],
        ["sec-fetch-mode", "cors"],
        ["accept-language", "en-GB,en;q=0.9"],
        ["cache-control", "no-cache"],
        ["pragma", "no-cache"],
        ["priority", "u=1, i"],
        ["upgrade-insecure-requests", "1"],
        ["x-fnpad-echo-request", "1"],
        ["x-demo", "kept"],
        ["Accept", "application/json"],
      ],
    };
    expect(replayDraft(call).headers.map((row) => [row.name, row.value])).toEqual([
      ["x-demo", "kept"],
      ["Accept", "application/json"],
    ]);
  });
  test("replay leaves out what a phone's browser sent when it opened the endpoint", () => {
    const call: CallRecord = {
      ...fakeCall(1),
      headers: [
        [
          "accept",
          "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
        ],
        ["cache-control", "max-age=0"],
        ["sec-ch-ua-mobile", "?1"],
        ["upgrade-insecure-requests", "1"],
        ["accept", "text/html"],
      ],
    };
    expect(replayDraft(call).headers.map((row) => [row.name, row.value])).toEqual([
      ["accept", "text/html"],
    ]);
  });
  test("a redacted query parameter is replayed switched off", () => {
    const call: CallRecord = { ...fakeCall(1), query: `q=1&api_key=${CALL_LOG.redacted}` };
    const rows = replayDraft(call).query.map(({ name, enabled }) => [name, enabled]);
    expect(rows).toEqual([
      ["q", true],
      ["api_key", false],
    ]);
  });
  test.each<[string, CallRecord["body"], string | null]>([
    ["a whole text body", { bytes: 8, text: '{"n": 1}' }, null],
    ["no body", { bytes: 0 }, null],
    [
      "a text body over the preview",
      { bytes: 10_000, text: "x".repeat(CALL_LOG.bodyPreviewBytes) },
      "Replayed with the first 4 KB of the body (10,000 bytes).",
    ],
    ["a binary body", { bytes: 1234 }, "Replayed without its binary body (1,234 bytes)."],
    [
      "a body over the endpoint's limit",
      { bytes: null },
      "Replayed without its body (it was over the size limit and not read).",
    ],
  ])("replaying a call with %s says what is sent in its place", (_, body, note) => {
    const call: CallRecord = { ...fakeCall(1), method: "POST", body };
    expect(replayBodyNote(call)).toBe(note);
  });
});
