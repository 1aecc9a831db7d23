/**
 * Owner-only routes ask for the edit token before they read a body: a stranger's malformed or
 * oversized body gets 401 / 403 (never 400 / 413, which would answer for the owner's route), and
 * changes nothing.
 */
import { describe, expect, it } from "vitest";
import type { ApiErrorBody, EnvListView, RateLimitsView } from "../../workers/api-types.ts";
import { LIMITS } from "../../workers/limits.ts";
import { api, createSnippet, PYTHON_HELLO } from "./api-client.ts";

/** Every owner-only route that takes a body, as a path under `/api/snippets/<id>`. */
const ROUTES_WITH_BODIES = ["", "/freeze", "/limits", "/env/API_KEY"];

const MALFORMED = "{not json";
/** Over the JSON API's body limit (six times the code limit). */
const OVERSIZED = JSON.stringify({ code: "x".repeat(LIMITS.codeBytes * 7) });

async function expectCode(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  const body: ApiErrorBody = await response.json();
  expect(body.error.code).toBe(code);
}

describe("an owner-only route with a body", () => {
  it.each(ROUTES_WITH_BODIES)(
    "PUT …%s: no token 401, a wrong one 403, whatever the body",
    async (route) => {
      const { id, token } = await createSnippet();
      const path = `/api/snippets/${id}${route}`;
      for (const body of [MALFORMED, OVERSIZED]) {
        await expectCode(await api("PUT", path, { body }), 401, "unauthorized");
        await expectCode(await api("PUT", path, { body, token: "wrong" }), 403, "forbidden");
      }
      // The owner's malformed body is a 400, as before.
      await expectCode(await api("PUT", path, { body: MALFORMED, token }), 400, "invalid_json");
      // Nothing changed: one version, not frozen, default limits, no env.
      const snippet = await (await api("GET", `/api/snippets/${id}`)).json();
      expect(snippet).toMatchObject({ version: 1, code: PYTHON_HELLO, frozenVersion: null });
      const limits: RateLimitsView = await (
        await api("GET", `/api/snippets/${id}/limits`, { token })
      ).json();
      expect(limits.isDefault).toEqual({ perClient: true, perSnippet: true });
      const env: EnvListView = await (
        await api("GET", `/api/snippets/${id}/env`, { token })
      ).json();
      expect(env.entries).toEqual([]);
    },
  );
});
