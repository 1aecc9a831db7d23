/** The endpoint's token buckets (`edge/limits/buckets.ts`), on a clock the test moves. */
import { describe, expect, it } from "vitest";
import {
  ADDRESS_FACTOR,
  EndpointBuckets,
  MAX_CLIENTS,
  MAX_LEASE,
} from "../../edge/limits/buckets.ts";
import { RATE_LIMITS } from "../../workers/limits.ts";
import { burstOf } from "../../workers/rate-limits.ts";

const LIMITS = { perClient: 60, perSnippet: 3000 };

/** How many of `count` calls from `client` at `now` are admitted. */
function admitted(buckets: EndpointBuckets, client: string, count: number, now: number) {
  let passed = 0;
  for (let n = 0; n < count; n += 1) if (buckets.admit(client, LIMITS, now).admitted) passed += 1;
  return passed;
}

describe("endpoint buckets", () => {
  it("hold 10 s of refill, at least one call", () => {
    expect(burstOf(60)).toBe(10);
    expect(burstOf(3000)).toBe(500);
    expect(burstOf(RATE_LIMITS.min)).toBe(1);
    expect(burstOf(RATE_LIMITS.max)).toBe(10_000);
  });

  it("let a burst through, then one call per refill, and say when to retry", () => {
    const buckets = new EndpointBuckets();
    expect(admitted(buckets, "a", 11, 0)).toBe(10);
    expect(buckets.admit("a", LIMITS, 0)).toEqual({
      admitted: false,
      limit: "perClient",
      retryAfterSeconds: 1,
    });
    expect(admitted(buckets, "a", 2, 999)).toBe(0);
    expect(admitted(buckets, "a", 2, 1000)).toBe(1);
    // Ten seconds without a call: the whole burst again, and never more.
    expect(admitted(buckets, "a", 20, 60_000)).toBe(10);
  });

  it("rounds Retry-After up to whole seconds of the limit's pace", () => {
    const buckets = new EndpointBuckets();
    const slow = { perClient: 6, perSnippet: 3000 };
    expect(buckets.admit("a", slow, 0).admitted).toBe(true);
    expect(buckets.admit("a", slow, 0)).toMatchObject({ retryAfterSeconds: 10 });
    expect(buckets.admit("a", slow, 2500)).toMatchObject({ retryAfterSeconds: 8 });
  });

  it("counts a client's refused calls against nobody", () => {
    const buckets = new EndpointBuckets();
    const limits = { perClient: 6, perSnippet: 12 }; // buckets of 1 and 2
    expect(buckets.admit("loop", limits, 0).admitted).toBe(true);
    for (let n = 0; n < 100; n += 1) expect(buckets.admit("loop", limits, 0).admitted).toBe(false);
    expect(buckets.admit("b", limits, 0).admitted).toBe(true);
    expect(buckets.admit("c", limits, 0)).toMatchObject({ admitted: false, limit: "perSnippet" });
  });

  it("hold the clients behind one address together, at ADDRESS_FACTOR times a client's limit", () => {
    const buckets = new EndpointBuckets();
    const burst = burstOf(LIMITS.perClient); // 10 a client, 40 an address
    let passed = 0;
    for (let n = 0; n < 100; n += 1) {
      if (buckets.admit(`192.0.2.1 agent-${n}`, LIMITS, 0).admitted) passed += 1;
    }
    expect(passed).toBe(burst * ADDRESS_FACTOR);
    expect(buckets.admit("192.0.2.1 another", LIMITS, 0)).toEqual({
      admitted: false,
      limit: "perClient",
      retryAfterSeconds: 1,
      byAddress: true,
    });
    expect(buckets.admit("192.0.2.2 agent-0", LIMITS, 0).admitted).toBe(true);
    // A refused call costs its address nothing: one refill later, one more call.
    expect(buckets.admit("192.0.2.1 agent-0", LIMITS, 300).admitted).toBe(true);
    expect(buckets.addressCount).toBe(2);
  });

  it("forgets clients whose bucket is full again, and keeps at most MAX_CLIENTS", () => {
    const buckets = new EndpointBuckets();
    const open = { perClient: 60, perSnippet: RATE_LIMITS.max };
    for (let n = 0; n < 50; n += 1) buckets.admit(`old-${n}`, open, 0);
    buckets.admit("new", open, 10_000);
    expect(buckets.clientCount).toBe(1);
    for (let n = 0; n <= MAX_CLIENTS; n += 1) buckets.admit(`c-${n}`, open, 20_000 + n / 1000);
    expect(buckets.clientCount).toBe(MAX_CLIENTS);
  });

  it("lease a quarter of what is left to a repeat caller, from every bucket, and never more than the burst in all", () => {
    const buckets = new EndpointBuckets();
    // A client's first call brings back no lease (a one-off caller would waste it)…
    expect(buckets.admit("a", LIMITS, 0, true)).toEqual({ admitted: true }); // 9 left
    // …its next one a quarter of what is left.
    expect(buckets.admit("a", LIMITS, 0, true)).toEqual({ admitted: true, lease: 2 }); // 6 left
    // Every call admitted or leased came out of the buckets: ten in all, then a refusal.
    let calls = 1 + 1 + 2;
    for (;;) {
      const admission = buckets.admit("a", LIMITS, 0, true);
      if (!admission.admitted) break;
      calls += 1 + (admission.lease ?? 0);
    }
    expect(calls).toBe(10);
    // The snippet's bucket lost the leased calls too: 500 less the ten.
    const everyone = { perClient: 60, perSnippet: 3000 };
    let others = 0;
    for (let n = 0; n < 600; n += 1) if (buckets.admit(`c-${n}`, everyone, 0).admitted) others += 1;
    expect(others).toBe(490);
  });

  it("lease nothing unless asked, nothing on a first call or from a bucket of one, and at most MAX_LEASE", () => {
    expect(new EndpointBuckets().admit("a", LIMITS, 0)).toEqual({ admitted: true });
    const slow = { perClient: 6, perSnippet: 6 };
    expect(new EndpointBuckets().admit("a", slow, 0, true)).toEqual({ admitted: true });
    const open = { perClient: RATE_LIMITS.max, perSnippet: RATE_LIMITS.max };
    const buckets = new EndpointBuckets();
    expect(buckets.admit("a", open, 0, true)).toEqual({ admitted: true });
    expect(buckets.admit("a", open, 0, true)).toEqual({ admitted: true, lease: MAX_LEASE });
  });
});
