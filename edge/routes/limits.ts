/**
 * A snippet endpoint's rate limits, for its owner only (the edit token):
 * `GET /api/snippets/:id/limits` shows the limits in force, the defaults and bounds, and how many
 * calls they refused; `PUT` with `{perClient?, perSnippet?}` (calls a minute; `null` for the
 * default) changes them from the next call on.
 */
import { type Context, Hono } from "hono";
import type { RateLimitsView } from "../../workers/api-types.ts";
import { RATE_LIMITS } from "../../workers/limits.ts";
import { callLog } from "../calls/hook.ts";
import { type SnippetRecord, setRateLimits } from "../db.ts";
import { Gone } from "../errors.ts";
import { jsonBody } from "../json-body.ts";
import { limitsOf } from "../limits/guard.ts";
import { PutRateLimits } from "../schemas.ts";
import { authorize, bearerToken, liveSnippet } from "./snippets.ts";

const limits = new Hono<{ Bindings: Env }>();

limits.get("/:id/limits", async (c) => {
  const record = await ownedSnippet(c, bearerToken(c));
  return c.json(await limitsView(c.env, record));
});

limits.put("/:id/limits", ...jsonBody(PutRateLimits), async (c) => {
  const token = bearerToken(c);
  const body = c.req.valid("json");
  const record = await ownedSnippet(c, token);
  const next = {
    clientLimit: body.perClient === undefined ? record.clientLimit : body.perClient,
    snippetLimit: body.perSnippet === undefined ? record.snippetLimit : body.perSnippet,
  };
  if (!(await setRateLimits(c.env.DB, record.id, next)))
    throw new Gone(`Snippet ${record.id} was deleted`);
  return c.json(await limitsView(c.env, { ...record, ...next }));
});

export default limits;

async function ownedSnippet(c: Context<{ Bindings: Env }>, token: string) {
  const record = await liveSnippet(c.env.DB, c.req.param("id") ?? "");
  await authorize(token, record);
  return record;
}

async function limitsView(
  env: Env,
  record: Pick<SnippetRecord, "id" | "clientLimit" | "snippetLimit">,
): Promise<RateLimitsView> {
  return {
    limits: limitsOf(record),
    isDefault: { perClient: record.clientLimit === null, perSnippet: record.snippetLimit === null },
    defaults: { ...RATE_LIMITS.defaults },
    bounds: { min: RATE_LIMITS.min, max: RATE_LIMITS.max },
    refused: await callLog(env, record.id).refusedCalls(),
  };
}
