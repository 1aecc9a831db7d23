/**
 * Burst protection on `/fn`: per client and per snippet, `429` with `Retry-After` and fnpad's
 * error JSON, the owner never locked out, limits kept to their own snippet. The smallest limit
 * (6 a minute: a bucket of one call, refilled in 10 s) keeps these free of timing.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import app from "../../edge/index.ts";
import { ADDRESS_FACTOR } from "../../edge/limits/buckets.ts";
import type { RateLimits } from "../../workers/api-types.ts";
import { RATE_LIMITS } from "../../workers/limits.ts";
import { OWNER_TOKEN_HEADER } from "../../workers/platform-headers.ts";
import { ORIGIN } from "./api-client.ts";
import { callsOnce } from "./calls-client.ts";
import { callEndpoint } from "./fn-client.ts";
import {
  burstThenMore,
  callAsOwner,
  callFrom,
  echoSnippet,
  getLimits,
  refillsSince,
  setLimits,
  times,
  untilRefused,
} from "./limits-client.ts";

const { perClient } = RATE_LIMITS.defaults;
/** The default per-client burst: 10 s worth of the default calls a minute. */
const CLIENT_BURST = (perClient * RATE_LIMITS.burstSeconds) / 60;

describe("rate limits on /fn", () => {
  it("answers the call past a client's burst with 429, Retry-After and the platform JSON", async () => {
    const { id } = await echoSnippet();
    expect(CLIENT_BURST).toBe(50);
    const burst = await burstThenMore(() => callFrom("203.0.113.7", id), CLIENT_BURST, perClient);
    expect(burst.statuses).toEqual(times(CLIENT_BURST, 200));
    // The next call is refused, or as many more as came back while the calls went (one every 0.2 s).
    expect(burst.extra).toBeLessThanOrEqual(burst.refills);
    const { refused } = burst;
    if (!refused) throw new Error("never refused");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("x-fnpad-error")).toBe("platform");
    expect(refused.headers.get("content-type")).toMatch(/^application\/json/);
    expect(refused.headers.get("content-security-policy")).toMatch(/^sandbox/);
    const body = (await refused.json()) as { error: { type: string; message: string } };
    expect(body).toMatchObject({ source: "platform", error: { type: "PlatformError" } });
    expect(body.error.message).toContain("from one client: at most 300 a minute (50 at once)");

    // Another client still gets through.
    expect((await callFrom("198.51.100.20", id)).status).toBe(200);
  });

  it("refuses everyone past the per-snippet limit; a client over its own does not use it up", async () => {
    const { id, token } = await echoSnippet();
    await setLimits(id, token, { perClient: 6, perSnippet: 12 }); // buckets of 1 and 2 calls
    expect((await callFrom("192.0.2.1", id)).status).toBe(200);
    expect((await callFrom("192.0.2.1", id)).status).toBe(429); // its own limit
    expect((await callFrom("192.0.2.1", id)).status).toBe(429);
    expect((await callFrom("192.0.2.2", id)).status).toBe(200); // the snippet's second call
    const third = await callFrom("192.0.2.3", id);
    expect(third.status).toBe(429);
    expect(((await third.json()) as { error: { message: string } }).error.message).toContain(
      "from everyone together: at most 12 a minute",
    );

    const { refused } = await getLimits(id, token);
    expect(refused).toMatchObject({ perClient: 2, perSnippet: 1 });
    expect(Date.parse(refused.lastAt ?? "")).toBeGreaterThan(Date.now() - 60_000);
    // Refused calls are counted, not logged: the log holds the two that ran.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await callsOnce(id, token, 2)).toHaveLength(2);
  });

  it("keeps one snippet's limits to itself", async () => {
    const full = await echoSnippet();
    const other = await echoSnippet();
    await setLimits(full.id, full.token, { perSnippet: 6 });
    expect((await callFrom("192.0.2.10", full.id)).status).toBe(200);
    expect((await callFrom("192.0.2.11", full.id)).status).toBe(429);
    expect((await callFrom("192.0.2.11", other.id)).status).toBe(200);
    expect((await callFrom("192.0.2.10", other.id)).status).toBe(200);
  });

  it("tells the devices behind one address apart (a room on one Wi-Fi), not one device's calls", async () => {
    const { id } = await echoSnippet();
    const room = "203.0.113.50";
    const phone = (model: string) => ({
      "user-agent": `Mozilla/5.0 (Linux; Android 15; ${model})`,
    });
    // The default burst for one phone, then that phone is refused…
    const pixel9 = () => callFrom(room, id, phone("Pixel 9"));
    const first = await burstThenMore(pixel9, CLIENT_BURST, perClient);
    expect(first.statuses).toEqual(times(CLIENT_BURST, 200));
    expect(first.extra).toBeLessThanOrEqual(first.refills);
    expect(first.refused?.status).toBe(429);
    // …while everyone else in the room still gets through.
    for (const model of ["Pixel 8", "SM-S921B", "moto g"]) {
      expect((await callFrom(room, id, phone(model))).status).toBe(200);
    }
  });

  it("holds every client behind one address together: a script varying its User-Agent gets no more", async () => {
    const { id, token } = await echoSnippet();
    await setLimits(id, token, { perClient: 6 }); // a client's burst of 1, an address's of 4
    const addressBurst = ADDRESS_FACTOR;
    const script = "203.0.113.80";
    const agent = (n: number) => ({ "user-agent": `loop/${n}` });
    // Each call a new "client": only the address's limit can refuse.
    for (let n = 0; n < addressBurst; n += 1) {
      const call = await callFrom(script, id, agent(n));
      expect(call.status).toBe(200);
      await call.arrayBuffer();
    }
    const refused = await callFrom(script, id, agent(1000));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("x-fnpad-error")).toBe("platform");
    const body = (await refused.json()) as { error: { message: string } };
    expect(body.error.message).toContain("from one address: at most 24 a minute (4 at once)");
    // Another address is still served, and so is the owner behind the crowded one.
    expect((await callFrom("203.0.113.81", id, agent(1000))).status).toBe(200);
    expect((await callAsOwner(script, id, token)).status).toBe(200);
    // The refusal is counted for the owner as a client's.
    expect((await getLimits(id, token)).refused).toMatchObject({ perClient: 1, perSnippet: 0 });
  });

  it("lets a room of phones with today's reduced User-Agents call at once (they look alike)", async () => {
    const { id } = await echoSnippet();
    const room = "203.0.113.60";
    // What current browsers send, whatever the phone: Chrome on Android hides the model and
    // version, Safari on iPhone the model. Forty people with one of two phones call together.
    const android = {
      "user-agent":
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
      "accept-language": "en-US,en;q=0.9",
    };
    const iphone = {
      "user-agent":
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
      "accept-language": "en-US,en;q=0.9",
    };
    const calls = await Promise.all([
      ...times(40, 0).map(() => callFrom(room, id, android)),
      ...times(40, 0).map(() => callFrom(room, id, iphone)),
    ]);
    expect(calls.filter((response) => response.status !== 200)).toHaveLength(0);
  });

  it("tells apart two people with the same phone by their languages", async () => {
    const { id, token } = await echoSnippet();
    await setLimits(id, token, { perClient: 6 }); // a bucket of one call
    const room = "203.0.113.61";
    const agent = "Mozilla/5.0 (Linux; Android 10; K) Chrome/131.0.0.0 Mobile Safari/537.36";
    const phone = (language: string) => ({ "user-agent": agent, "accept-language": language });
    expect((await callFrom(room, id, phone("en-GB,en;q=0.9"))).status).toBe(200);
    expect((await callFrom(room, id, phone("en-GB,en;q=0.9"))).status).toBe(429);
    expect((await callFrom(room, id, phone("de-DE,de;q=0.9"))).status).toBe(200);
  });

  it("counts an IPv6 client by its /64 and an IPv4-mapped address as the IPv4 one", async () => {
    const { id, token } = await echoSnippet();
    await setLimits(id, token, { perClient: 6 });
    expect((await callFrom("2001:db8:1:2::1", id)).status).toBe(200);
    expect((await callFrom("2001:db8:1:2:ffff:ffff:ffff:fffe", id)).status).toBe(429);
    expect((await callFrom("2001:db8:1:3::1", id)).status).toBe(200);
    expect((await callFrom("198.51.100.9", id)).status).toBe(200);
    expect((await callFrom("::ffff:198.51.100.9", id)).status).toBe(429);
  });
});

describe("the owner's own calls", () => {
  it("are never refused, and the handler never sees the token", async () => {
    const { id, token } = await echoSnippet();
    await setLimits(id, token, { perClient: 6, perSnippet: 6 });
    expect((await callFrom("192.0.2.30", id)).status).toBe(200);
    expect((await callFrom("192.0.2.31", id)).status).toBe(429);
    for (let n = 0; n < 5; n += 1) {
      const own = await callAsOwner("192.0.2.31", id, token);
      expect(own.status).toBe(200);
      const seen = (await own.json()) as Record<string, string>;
      expect(seen["cf-connecting-ip"]).toBe("192.0.2.31");
      expect(seen[OWNER_TOKEN_HEADER]).toBeUndefined();
      expect(JSON.stringify(seen)).not.toContain(token);
    }
    // The log keeps the owner's calls without the token header, not even redacted.
    const logged = await callsOnce(id, token, 6);
    expect(JSON.stringify(logged)).not.toContain(OWNER_TOKEN_HEADER);
    expect(JSON.stringify(logged)).not.toContain(token);
  });

  it("refuses a wrong token with 403 before anything runs, and a token in the URL counts for nothing", async () => {
    const { id, token } = await echoSnippet();
    const other = await echoSnippet();
    await setLimits(id, token, { perClient: 6 });
    const forged = await callAsOwner("192.0.2.40", id, other.token);
    expect(forged.status).toBe(403);
    expect(forged.headers.get("x-fnpad-error")).toBe("platform");
    expect(((await forged.json()) as { error: { message: string } }).error.message).toContain(
      OWNER_TOKEN_HEADER,
    );
    expect((await callFrom("192.0.2.40", id)).status).toBe(200);
    const inUrl = await callEndpoint(id, `/?${OWNER_TOKEN_HEADER}=${token}&token=${token}`, {
      headers: { "cf-connecting-ip": "192.0.2.40" },
    });
    expect(inUrl.status).toBe(429);
  });
});

describe("leases: repeat calls admitted without asking the Durable Object", () => {
  /** The app with a call log whose `admit` is counted; calls from `ip` to `id`. */
  function countingApp() {
    const asked: boolean[] = [];
    const counting = {
      idFromName: (name: string) => env.CALL_LOG.idFromName(name),
      get: (objectId: DurableObjectId) => {
        const stub = env.CALL_LOG.get(objectId);
        return {
          admit: (client: string, limits: RateLimits, lease?: boolean) => {
            asked.push(lease ?? false);
            return stub.admit(client, limits, lease);
          },
        };
      },
    };
    const withCounting = { ...env, CALL_LOG: counting, FNPAD_RECORD_CALLS: "off" };
    const call = async (ip: string, id: string) => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/fn/${id}/`, { headers: { "cf-connecting-ip": ip } }),
        withCounting,
        createExecutionContext(),
      );
      await response.arrayBuffer();
      return response.status;
    };
    return { asked, call };
  }

  it("ask the object for some calls only, and admit exactly the burst", async () => {
    const { id } = await echoSnippet();
    const { asked, call } = countingApp();
    const started = Date.now();
    const asResponse = (status: number) => new Response(null, { status });
    const { admitted, refused } = await untilRefused(
      () => call("203.0.113.50", id).then(asResponse),
      80,
    );
    expect(refused).not.toBeNull();
    const refills = refillsSince(started, perClient);
    // The burst admitted, then refused (unless a call came back meanwhile on a slow machine).
    expect(admitted).toBeGreaterThanOrEqual(CLIENT_BURST);
    expect(admitted).toBeLessThanOrEqual(CLIENT_BURST + refills);
    // 50 calls admitted, the 51st refused; leases (from the second call on, a quarter of what is
    // left each time, ever smaller as the bucket empties) spared 37 of the 51 questions.
    if (refills === 0) expect(asked).toHaveLength(14);
    else expect(asked.length).toBeLessThan((admitted + 1) / 2);
  });

  it("end with a change of limits: the next call is counted under the new ones", async () => {
    const { id, token } = await echoSnippet();
    const { call } = countingApp();
    expect(await call("203.0.113.51", id)).toBe(200);
    expect(await call("203.0.113.51", id)).toBe(200); // leased more calls
    await setLimits(id, token, { perClient: 6, perSnippet: 6 });
    expect(await call("203.0.113.51", id)).toBe(200);
    expect(await call("203.0.113.51", id)).toBe(429);
  });

  it("are one client's own: another client is asked about", async () => {
    const { id, token } = await echoSnippet();
    await setLimits(id, token, { perClient: 6, perSnippet: 60 }); // buckets of 1 and 10
    const { asked, call } = countingApp();
    expect(await call("203.0.113.52", id)).toBe(200);
    expect(await call("203.0.113.52", id)).toBe(429);
    expect(await call("203.0.113.53", id)).toBe(200);
    expect(asked).toEqual([true, true, true]);
  });
});

describe("a rate limiter that cannot count", () => {
  it("fails closed: 503 with Retry-After, and the handler does not run", async () => {
    const { id } = await echoSnippet();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = {
      idFromName: (name: string) => env.CALL_LOG.idFromName(name),
      get: () => ({ admit: () => Promise.reject(new Error("overloaded")) }),
    };
    const response = await app.fetch(
      new Request(`${ORIGIN}/fn/${id}/`, { headers: { "cf-connecting-ip": "192.0.2.99" } }),
      { ...env, CALL_LOG: broken },
      createExecutionContext(),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(response.headers.get("x-fnpad-error")).toBe("platform");
    expect(logged).toHaveBeenCalledWith(
      expect.stringContaining("the rate limiter failed"),
      expect.objectContaining({ message: "overloaded" }),
    );
    logged.mockRestore();
  });
});
