/** The outbound policy, in workerd: its URL parser normalises what reaches the guard; the subrequest budget. */
import { describe, expect, it } from "vitest";
import { OUTBOUND_BUDGET, outboundRefusal, withinBudget } from "../../edge/sandbox/outbound.ts";
import { ALLOWED_ADDRESSES, REFUSED_ADDRESSES } from "../fixtures/policy/outbound-addresses.ts";

describe("outbound address policy (workerd URL parser)", () => {
  it.each(REFUSED_ADDRESSES)("refuses %s: %s", (_range, url) => {
    expect(outboundRefusal(new URL(url))).toEqual(expect.any(String));
  });

  it.each(ALLOWED_ADDRESSES)("allows %s: %s", (_kind, url) => {
    expect(outboundRefusal(new URL(url))).toBeNull();
  });
});

describe("outbound subrequest budget", () => {
  it("allows an isolate its budget per window, refuses the next, and starts over after the window", () => {
    const { requests, windowMs } = OUTBOUND_BUDGET;
    const start = 1_000_000;
    const counted = Array.from({ length: requests + 1 }, () =>
      withinBudget("py:budget@1:a", start),
    );
    expect(counted.filter(Boolean)).toHaveLength(requests);
    expect(counted.at(-1)).toBe(false);
    // Another isolate has its own budget.
    expect(withinBudget("py:budget@2:b", start)).toBe(true);
    expect(withinBudget("py:budget@1:a", start + windowMs - 1)).toBe(false);
    expect(withinBudget("py:budget@1:a", start + windowMs)).toBe(true);
  });

  it("keeps no more than a bounded number of isolates, and an isolate pushed out starts a fresh window", () => {
    const now = 5_000_000;
    for (let i = 0; i < OUTBOUND_BUDGET.requests + 1; i += 1) withinBudget("ts:busy@1:c", now);
    expect(withinBudget("ts:busy@1:c", now)).toBe(false);
    for (let i = 0; i < 10_000; i += 1) withinBudget(`ts:other${i}@1:d`, now);
    expect(withinBudget("ts:busy@1:c", now)).toBe(true);
  });
});
