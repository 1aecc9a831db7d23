/** `GET`/`PUT /api/snippets/:id/limits`: the owner's limits, their bounds, and refusals that change nothing. */
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../workers/limits.ts";
import { burstOf } from "../../workers/rate-limits.ts";
import { api } from "./api-client.ts";
import {
  burstFrom,
  burstThenMore,
  callFrom,
  echoSnippet,
  getLimits,
  putLimits,
  setLimits,
  times,
} from "./limits-client.ts";

describe("a snippet's rate limits", () => {
  it("starts at the defaults, and the owner's change counts from the next call", async () => {
    const { id, token } = await echoSnippet();
    expect(await getLimits(id, token)).toEqual({
      limits: RATE_LIMITS.defaults,
      isDefault: { perClient: true, perSnippet: true },
      defaults: RATE_LIMITS.defaults,
      bounds: { min: RATE_LIMITS.min, max: RATE_LIMITS.max },
      refused: { perClient: 0, perSnippet: 0, lastAt: null },
    });

    // 120 a minute: a burst of 20 instead of the default 50.
    const raised = await putLimits(id, token, { perClient: 120 });
    expect(raised.status).toBe(200);
    expect(await raised.json()).toMatchObject({
      limits: { perClient: 120, perSnippet: RATE_LIMITS.defaults.perSnippet },
      isDefault: { perClient: false, perSnippet: true },
    });
    const raisedBurst = await burstThenMore(() => callFrom("203.0.113.50", id), 20, 120);
    expect(raisedBurst.statuses).toEqual(times(20, 200));
    expect(raisedBurst.extra).toBeLessThanOrEqual(raisedBurst.refills);
    expect(raisedBurst.refused?.status).toBe(429);

    // Lowered: a new client gets one call; `null` puts the default back.
    await setLimits(id, token, { perClient: 6 });
    expect(await burstFrom("203.0.113.51", id, 3)).toEqual([200, 429, 429]);
    await setLimits(id, token, { perClient: null });
    expect((await getLimits(id, token)).limits).toEqual(RATE_LIMITS.defaults);
    const burst = burstOf(RATE_LIMITS.defaults.perClient);
    const perClient = RATE_LIMITS.defaults.perClient;
    const back = await burstThenMore(() => callFrom("203.0.113.52", id), burst, perClient);
    expect(back.statuses).toEqual(times(burst, 200));
    expect(back.extra).toBeLessThanOrEqual(back.refills);
    expect(back.refused?.status).toBe(429);
  });

  it.each([
    [{ perClient: RATE_LIMITS.min - 1 }, "perClient: perClient must be at least 6 calls a minute"],
    [{ perSnippet: RATE_LIMITS.max + 1 }, "perSnippet: perSnippet must be at most 60000"],
    [{ perClient: 12.5 }, "perClient must be a whole number"],
    [{ perClient: "120" }, "perClient must be a whole number of calls a minute, or null"],
    [{ perclient: 120 }, 'Unrecognized key: "perclient"'],
    [[120], "expected object"],
  ])("refuses %j with 400 and changes nothing", async (body, message) => {
    const { id, token } = await echoSnippet();
    await setLimits(id, token, { perClient: 6 });
    const response = await putLimits(id, token, body);
    expect(response.status).toBe(400);
    const error = ((await response.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("invalid_body");
    expect(error.message).toContain(message);
    expect((await getLimits(id, token)).limits.perClient).toBe(6);
    expect(await burstFrom("203.0.113.60", id, 2)).toEqual([200, 429]);
  });

  it("is the owner's only: no token 401, another's 403, for reading and changing alike", async () => {
    const { id, token } = await echoSnippet();
    const other = await echoSnippet();
    await setLimits(id, token, { perClient: 6 });
    const path = `/api/snippets/${id}/limits`;
    expect((await api("GET", path)).status).toBe(401);
    expect((await api("GET", path, { token: other.token })).status).toBe(403);
    expect((await api("PUT", path, { body: { perClient: 600 } })).status).toBe(401);
    const forged = await api("PUT", path, { token: other.token, body: { perClient: 600 } });
    expect(forged.status).toBe(403);
    expect(forged.headers.get("x-fnpad-error")).toBe("platform");
    expect((await getLimits(id, token)).limits.perClient).toBe(6);
    expect(await burstFrom("203.0.113.70", id, 2)).toEqual([200, 429]);
  });

  it("answers 404 for an unknown snippet and 410 for a deleted one", async () => {
    const { id, token } = await echoSnippet();
    expect((await putLimits("abcdefghjkmn", token, { perClient: 60 })).status).toBe(404);
    expect((await api("DELETE", `/api/snippets/${id}`, { token })).status).toBe(204);
    expect((await putLimits(id, token, { perClient: 60 })).status).toBe(410);
    expect((await callFrom("203.0.113.80", id)).status).toBe(404);
  });
});
