/**
 * A snippet's environment variables and secrets, mounted at `/api/snippets/:id/env`. All of it is
 * the owner's (edit token): the listing names every entry and shows variables' values, never a
 * secret's; `POST /reveal` hands the owner every value for runs in their own browser. Only the
 * names are public (`GET /names`), as every fork copies them.
 */
import { type Context, Hono } from "hono";
import type { EnvListView, EnvNamesView, EnvRevealView } from "../../workers/api-types.ts";
import { ENV_LIMITS } from "../../workers/limits.ts";
import { getSnippet } from "../db.ts";
import { sealSecret } from "../env-crypto.ts";
import { deleteEnv, type EnvRow, entryView, listEnv, putEnv } from "../env-db.ts";
import { envValues } from "../env-values.ts";
import { BadRequest, Gone, InternalError, NotFound, PayloadTooLarge } from "../errors.ts";
import { jsonBody } from "../json-body.ts";
import { EnvName, PutEnvEntry } from "../schemas.ts";
import { liveSnippet, type OwnerRoute, requireOwner } from "./snippets.ts";

const env = new Hono<OwnerRoute>();

// Values (and names) are the owner's: no cache keeps a copy of any answer.
env.use("*", async (c, next) => {
  c.header("cache-control", "no-store");
  await next();
});
// Anyone's: a visitor's browser runs get each name with an empty value, as at the edge a handler
// finds every name (and as a fork gets them). Neither values nor kinds.
env.get("/names", async (c) => {
  const record = await liveSnippet(c.env.DB, c.req.param("id") ?? "");
  const body: EnvNamesView = { names: (await listEnv(c.env.DB, record.id)).map((row) => row.name) };
  return c.json(body);
});

// Every other route is the owner's: 401 / 403 before anything else, a body included. (`/names`
// above answers before this runs: Hono stops at the first handler that returns a response.)
env.use("*", requireOwner);

function nameParam(c: Context): string {
  const parsed = EnvName.safeParse(c.req.param("name"));
  if (!parsed.success) {
    const reason = parsed.error.issues.map((issue) => issue.message).join("; ");
    throw new BadRequest(`Invalid name: ${reason}`, undefined, "invalid_name");
  }
  return parsed.data;
}

env.get("/", async (c) => {
  const record = c.get("owned");
  const body: EnvListView = { entries: (await listEnv(c.env.DB, record.id)).map(entryView) };
  return c.json(body);
});

// POST, not GET: nothing prefetches or caches it, and the token goes in a header as for every write.
env.post("/reveal", async (c) => {
  const record = c.get("owned");
  const body: EnvRevealView = { env: await envValues(c.env, record.id) };
  return c.json(body);
});

env.put("/:name", ...jsonBody(PutEnvEntry), async (c) => {
  const record = c.get("owned");
  const name = nameParam(c);
  const { value, secret } = c.req.valid("json");
  const size = new TextEncoder().encode(value).byteLength;
  if (size > ENV_LIMITS.valueBytes) {
    throw new PayloadTooLarge(`${name} is ${size} bytes; a value may be ${ENV_LIMITS.valueBytes}`, {
      size,
      limit: ENV_LIMITS.valueBytes,
    });
  }
  const rows = await listEnv(c.env.DB, record.id);
  checkLimits(rows, name, size);
  // An empty secret stores no ciphertext; a non-empty one needs ENV_KEY (503 without it).
  const sealed =
    secret && size > 0 ? await sealSecret(c.env.ENV_KEY, record.id, name, value) : null;
  const written = await putEnv(c.env.DB, record.id, {
    name,
    secret,
    value: secret ? null : value,
    sealed,
    size,
  });
  if (!written) {
    // Deleted, or another write took the room meanwhile: say which.
    if ((await getSnippet(c.env.DB, record.id))?.deletedAt) {
      throw new Gone(`Snippet ${record.id} was deleted`);
    }
    checkLimits(await listEnv(c.env.DB, record.id), name, size);
    throw new InternalError(`${name} was not stored`);
  }
  const row = (await listEnv(c.env.DB, record.id)).find((entry) => entry.name === name);
  if (!row) throw new NotFound(`${name} was deleted meanwhile`);
  return c.json(entryView(row));
});

env.delete("/:name", async (c) => {
  const record = c.get("owned");
  const name = nameParam(c);
  if (!(await deleteEnv(c.env.DB, record.id, name))) {
    throw new NotFound(`Snippet ${record.id} has no variable or secret ${name}`);
  }
  return c.body(null, 204);
});

export default env;

/** Refuses a write of `size` bytes to `name` that would break the count or total limit. */
function checkLimits(rows: EnvRow[], name: string, size: number): void {
  const others = rows.filter((row) => row.name !== name);
  if (others.length >= ENV_LIMITS.entries) {
    throw new BadRequest(
      `A snippet may have ${ENV_LIMITS.entries} variables and secrets; delete one first`,
      { limit: ENV_LIMITS.entries },
      "too_many_entries",
    );
  }
  const total = others.reduce((sum, row) => sum + row.size, 0) + size;
  if (total > ENV_LIMITS.totalBytes) {
    throw new PayloadTooLarge(
      `All values together would be ${total} bytes; the limit is ${ENV_LIMITS.totalBytes}`,
      { size: total, limit: ENV_LIMITS.totalBytes },
    );
  }
}
