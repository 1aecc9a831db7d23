import { describe, expect, it } from "vitest";
import { SAVES_PER_ADDRESS_MINUTE, SAVES_PER_CLIENT_MINUTE } from "../../edge/limits/saves.ts";
import { api, createSnippet, TS_HELLO } from "./api-client.ts";

/** `POST /api/snippets` from `ip` (as Cloudflare hands it over), with a User-Agent. */
function createFrom(ip: string, agent = "curl/8.5.0") {
  return api("POST", "/api/snippets", {
    body: { language: "typescript", code: TS_HELLO },
    headers: { "cf-connecting-ip": ip, "user-agent": agent },
  });
}

async function statusesOf(responses: Promise<Response>[]): Promise<number[]> {
  const settled = await Promise.all(responses);
  await Promise.all(settled.map((response) => response.arrayBuffer()));
  return settled.map((response) => response.status);
}

describe("saves are limited per client and per address", () => {
  it("refuses a client's saves past its limit with 429, Retry-After and a JSON error", async () => {
    const ip = "198.51.100.7";
    const first = await statusesOf(
      Array.from({ length: SAVES_PER_CLIENT_MINUTE }, () => createFrom(ip)),
    );
    expect(first).toEqual(Array(SAVES_PER_CLIENT_MINUTE).fill(201));

    const refused = await createFrom(ip);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("too_many_requests");
    expect(body.error.message).toBe(
      `Too many saves from this browser: at most ${SAVES_PER_CLIENT_MINUTE} a minute. Your code is not lost; save again in a minute.`,
    );

    // A version and a fork count too: they are saves.
    const { id, token } = await createSnippet({ language: "typescript", code: TS_HELLO });
    const headers = { "cf-connecting-ip": ip, "user-agent": "curl/8.5.0" };
    const version = await api("PUT", `/api/snippets/${id}`, {
      token,
      headers,
      body: { code: TS_HELLO },
    });
    expect(version.status).toBe(429);
    const fork = await api("POST", `/api/snippets/${id}/fork`, { headers, body: {} });
    expect(fork.status).toBe(429);

    // Another client at another address is not held back by this one.
    expect((await createFrom("198.51.100.8")).status).toBe(201);
  });

  it("lets other browsers behind the same address save on", async () => {
    const ip = "198.51.100.20";
    await statusesOf(Array.from({ length: SAVES_PER_CLIENT_MINUTE + 1 }, () => createFrom(ip)));
    expect((await createFrom(ip)).status).toBe(429);
    expect((await createFrom(ip, "Mozilla/5.0 (Android 10; K)")).status).toBe(201);
  });

  it("refuses every browser behind an address past the address's limit, and says which limit", async () => {
    const ip = "198.51.100.40";
    const browsers = SAVES_PER_ADDRESS_MINUTE / SAVES_PER_CLIENT_MINUTE;
    const statuses = await statusesOf(
      Array.from({ length: SAVES_PER_ADDRESS_MINUTE }, (_, index) =>
        createFrom(ip, `browser-${index % browsers}`),
      ),
    );
    expect(statuses).toEqual(Array(SAVES_PER_ADDRESS_MINUTE).fill(201));
    // A browser that has saved nothing yet: its own limit is far off, the address's is reached.
    const refused = await createFrom(ip, "a-new-browser");
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { message: string } };
    expect(body.error.message).toBe(
      `Too many saves from your address (every browser behind it): at most ${SAVES_PER_ADDRESS_MINUTE} a minute. Your code is not lost; save again in a minute.`,
    );
  });

  it("does not count requests without an address (local tools)", async () => {
    const statuses = await statusesOf(
      Array.from({ length: SAVES_PER_CLIENT_MINUTE + 5 }, () =>
        api("POST", "/api/snippets", { body: { language: "typescript", code: TS_HELLO } }),
      ),
    );
    expect(statuses).toEqual(Array(SAVES_PER_CLIENT_MINUTE + 5).fill(201));
  });

  it("does not count loopback addresses (wrangler dev's own, for local browsers and tools)", async () => {
    for (const ip of ["127.0.0.1", "::1"]) {
      const statuses = await statusesOf(
        Array.from({ length: SAVES_PER_CLIENT_MINUTE + 2 }, () => createFrom(ip)),
      );
      expect(statuses).toEqual(Array(SAVES_PER_CLIENT_MINUTE + 2).fill(201));
    }
  });
});
