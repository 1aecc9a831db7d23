/** The edge's caches are bounded, expire, and never keep what a write made stale. */
import { describe, expect, it } from "vitest";
import {
  cachedHead,
  cachedVersion,
  forgetHead,
  forgetSnippet,
  HEAD_TTL_MS,
  readEpoch,
  rememberHead,
  rememberVersion,
} from "../../edge/snippet-cache.ts";
import { BoundedCache } from "../../workers/bounded-cache.ts";

describe("BoundedCache", () => {
  it("drops the least recently used entry past its entry count", () => {
    const cache = new BoundedCache<string>({ maxEntries: 2, maxWeight: 100 });
    cache.set("a", "A");
    cache.set("b", "B");
    expect(cache.get("a")).toBe("A"); // a is now the most recently used
    cache.set("c", "C");
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual(["A", undefined, "C"]);
    expect(cache.size).toBe(2);
  });

  it("stays within its weight, and never keeps an entry heavier than all of it", () => {
    const cache = new BoundedCache<string>({
      maxEntries: 100,
      maxWeight: 10,
      weigh: (v) => v.length,
    });
    cache.set("a", "xxxx");
    cache.set("b", "yyyy");
    cache.set("c", "zzzz");
    expect(cache.weight).toBeLessThanOrEqual(10);
    expect(cache.get("a")).toBeUndefined();
    cache.set("huge", "x".repeat(11));
    expect(cache.get("huge")).toBeUndefined();
    cache.set("b", "y"); // replacing an entry replaces its weight
    expect(cache.weight).toBe(5);
  });

  it("misses an expired entry, which peek still shows as a hint", () => {
    const cache = new BoundedCache<string>({ maxEntries: 10, maxWeight: 10, ttlMs: 1000 });
    cache.set("a", "A", 0);
    expect(cache.get("a", 999)).toBe("A");
    expect(cache.get("a", 1000)).toBeUndefined();
    expect(cache.peek("a")).toBe("A");
  });

  it("prunes expired entries from the least recently used end, up to the first fresh one", () => {
    const cache = new BoundedCache<string>({ maxEntries: 10, maxWeight: 10, ttlMs: 1000 });
    cache.set("a", "A", 0);
    cache.set("b", "B", 500);
    cache.set("c", "C", 900);
    cache.prune(1200);
    expect([cache.peek("a"), cache.peek("b"), cache.peek("c")]).toEqual([undefined, "B", "C"]);
    cache.prune(5000);
    expect(cache.size).toBe(0);
    expect(cache.weight).toBe(0);
  });
});

describe("snippet caches", () => {
  const head = (currentVersion: number) => ({
    language: "typescript" as const,
    currentVersion,
    frozenVersion: null,
    deleted: false,
    guard: { tokenHash: "hash", clientLimit: null, snippetLimit: null },
  });

  it("do not keep a head read before a write that changed it", () => {
    const since = readEpoch();
    forgetHead("racing1234"); // a save lands while the read is on its way
    rememberHead("racing1234", head(1), since);
    expect(cachedHead("racing1234")).toBeUndefined();
    const after = readEpoch();
    rememberHead("racing1234", head(2), after);
    expect(cachedHead("racing1234")).toEqual(head(2));
  });

  it("expire heads after HEAD_TTL_MS", () => {
    rememberHead("expiring12", head(1), readEpoch());
    expect(HEAD_TTL_MS).toBeLessThanOrEqual(5_000);
    const later = Date.now() + HEAD_TTL_MS;
    expect(cachedHead("expiring12")).toEqual(head(1));
    const realNow = Date.now;
    Date.now = () => later;
    try {
      expect(cachedHead("expiring12")).toBeUndefined();
    } finally {
      Date.now = realNow;
    }
  });

  it("forget every version of a deleted snippet, and only its own", () => {
    const version = (id: string, n: number) => ({
      id,
      language: "python" as const,
      version: n,
      code: `# ${id} ${n}`,
      compiled: null,
    });
    rememberVersion(version("gone123456", 1));
    rememberVersion(version("gone123456", 2));
    rememberVersion(version("gone1234567", 1)); // its id starts with the other's
    forgetSnippet("gone123456");
    expect(cachedVersion("gone123456", 1)).toBeUndefined();
    expect(cachedVersion("gone123456", 2)).toBeUndefined();
    expect(cachedVersion("gone1234567", 1)?.code).toBe("# gone1234567 1");
  });
});
