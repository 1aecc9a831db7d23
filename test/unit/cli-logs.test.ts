/** `fnpad logs` on a recorded page of the call log: how calls print, and how polling pages through. */
import { describe, expect, it } from "vitest";
import { type CallPage, type CallRecord, formatCall } from "../../cli/format.ts";
import { callsAfter, parseLimit } from "../../cli/logs.ts";
import sample from "../fixtures/cli/calls-page.json";

const page = sample as CallPage;
const [failed, ok, stopped] = page.calls as [CallRecord, CallRecord, CallRecord];

describe("formatCall", () => {
  it("shows time, version, request, status and duration, then logs and the error", () => {
    expect(formatCall(failed)).toBe(
      [
        "2026-11-26 23:05:41Z  @3  POST /items  500 (handler error)  18 ms",
        "    | got {'n': 1}",
        "    ! about to divide",
        "    ✗ ZeroDivisionError: division by zero (line 4)",
      ].join("\n"),
    );
    expect(formatCall(ok)).toBe("2026-11-26 23:05:40Z  @3  GET /hello?name=Ada&x=1  200  10 ms");
    expect(formatCall(stopped)).toBe(
      [
        "2026-11-26 23:04:02Z  @2  GET /  503 (platform error)  5012 ms",
        "    | spinning",
        "    … 140 more log lines not kept",
      ].join("\n"),
    );
  });
});

describe("callsAfter", () => {
  /** A log of `count` calls served 3 a page, newest first, as the API does with `before`. */
  function pages(count: number) {
    const all = Array.from({ length: count }, (_, index) => ({ ...ok, seq: count - index }));
    const requested: (number | null)[] = [];
    const fetchPage = async (before: number | null): Promise<CallPage> => {
      requested.push(before);
      const calls = all.filter((call) => before === null || call.seq < before).slice(0, 3);
      const last = calls.at(-1);
      return { calls, next: last && last.seq > 1 ? last.seq : null };
    };
    return { fetchPage, requested };
  }

  it("gives the latest calls oldest first, up to the limit", async () => {
    const { fetchPage, requested } = pages(8);
    const calls = await callsAfter(fetchPage, 0, 5);
    expect(calls.map((call) => call.seq)).toEqual([4, 5, 6, 7, 8]);
    expect(requested).toEqual([null, 6]);
  });

  it("pages back only until the last call it printed", async () => {
    const { fetchPage, requested } = pages(8);
    expect(
      (await callsAfter(fetchPage, 6, Number.POSITIVE_INFINITY)).map((call) => call.seq),
    ).toEqual([7, 8]);
    expect(requested).toEqual([null]);
    expect(await callsAfter(pages(0).fetchPage, 0, 20)).toEqual([]);
    expect((await callsAfter(pages(7).fetchPage, 0, 100)).length).toBe(7);
  });

  it("takes a positive whole --limit", () => {
    expect(parseLimit(undefined)).toBe(20);
    expect(parseLimit("3")).toBe(3);
    expect(() => parseLimit("0")).toThrow(/positive whole number/);
  });
});
