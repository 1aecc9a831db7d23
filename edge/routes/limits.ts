/**
 * A snippet endpoint's rate limits, for its owner only (the edit token):
 * `GET /api/snippets/:id/limits` shows the limits in force, the defaults and bounds, and how many
 * calls they refused; `PUT` with `{perClient?, perSnippet?}` (calls a minute; `null` for the
 * default) changes them from the next call on.
 */
import { Hono } from "hono";
import type { RateLimitsView } from "../../workers/api-types.ts";
import { RATE_LIMITS } from "../../workers/limits.ts";
import { callLog } from "../calls/hook.ts";
import { type SnippetRecord, setRateLimits } from "../db.ts";
import { Gone } from "../errors.ts";
import { jsonBody } from "../json-body.ts";
import { limitsOf } from "../limits/guard.ts";
import { PutRateLimits } from "../schemas.ts";
import { type OwnerRoute, requireOwner } from "./snippets.ts";

const limits = new Hono<OwnerRoute>();

limits.get("/:id/limits", requireOwner, async (c) => {
  return c.json(await limitsView(c.env, c.get("owned")));
});

limits.put("/:id/limits", requireOwner, ...jsonBody(PutRateLimits), async (c) => {
  const body = c.req.valid("json");
  const record = c.get("owned");
  const next = {
    clientLimit: body.perClient === undefined ? record.clientLimit : body.perClient,
    snippetLimit: body.perSnippet === undefined ? record.snippetLimit : body.perSnippet,
  };
  if (!(await setRateLimits(c.env.DB, record.id, next)))
    throw new Gone(`Snippet ${record.id} was deleted`);
  return c.json(await limitsView(c.env, { ...record, ...next }));
});

export default limits;

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
