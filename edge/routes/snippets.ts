import { type Context, Hono, type Next } from "hono";
import type {
  CreatedSnippet,
  SavedRequest,
  SnippetVersionView,
  SnippetView,
} from "../../workers/api-types.ts";
import { isSnippetId, newSnippetId } from "../../workers/snippet-ref.ts";
import { callLog } from "../calls/hook.ts";
import {
  appendVersion,
  deleteSnippet,
  getSnippet,
  getVersion,
  insertSnippet,
  listVersions,
  type SnippetRecord,
  setFrozenVersion,
} from "../db.ts";
import { copyEnvNames } from "../env-db.ts";
import { BadRequest, Forbidden, Gone, NotFound, Unauthorized } from "../errors.ts";
import { assertCodeSize, jsonBody } from "../json-body.ts";
import { saveLimit } from "../limits/saves.ts";
import { checkedForSave } from "../save-check.ts";
import {
  CreateSnippet,
  ForkSnippet,
  FreezeSnippet,
  UpdateSnippet,
  VersionParam,
} from "../schemas.ts";
import { hashToken, newEditToken, tokenMatches } from "../tokens.ts";

/** The JSON API for snippets, mounted at `/api/snippets`. */
const snippets = new Hono<OwnerRoute>();

snippets.post("/", saveLimit, ...jsonBody(CreateSnippet), async (c) => {
  const body = c.req.valid("json");
  assertCodeSize(body.code);
  const token = newEditToken();
  const record = await insertSnippet(c.env.DB, {
    id: newSnippetId(),
    language: body.language,
    title: body.title ?? "",
    code: body.code,
    ...(await checkedForSave(c.env, body.language, body.code)),
    tokenHash: await hashToken(token),
    forkedFrom: null,
    description: body.description ?? "",
    requestJson: body.request ? JSON.stringify(body.request) : null,
  });
  return created(c, record, body.code, token);
});

snippets.get("/:id", async (c) => {
  const record = await liveSnippet(c.env.DB, c.req.param("id"));
  const latest = await getVersion(c.env.DB, record.id, record.currentVersion);
  if (!latest) throw new NotFound(`Snippet ${record.id} has no version ${record.currentVersion}`);
  return c.json(snippetView(c, record, latest.code));
});

snippets.put("/:id", saveLimit, requireOwner, ...jsonBody(UpdateSnippet), async (c) => {
  const body = c.req.valid("json");
  assertCodeSize(body.code);
  const record = c.get("owned");
  const updated = await appendVersion(c.env.DB, record.id, {
    code: body.code,
    ...(await checkedForSave(c.env, record.language, body.code)),
    title: body.title,
    description: body.description,
    requestJson:
      body.request === undefined ? undefined : body.request && JSON.stringify(body.request),
  });
  if (!updated) throw new Gone(`Snippet ${record.id} was deleted`);
  return c.json(snippetView(c, updated, body.code));
});

snippets.delete("/:id", async (c) => {
  const token = bearerToken(c);
  const id = c.req.param("id");
  const record = isSnippetId(id) ? await getSnippet(c.env.DB, id) : null;
  if (!record) throw new NotFound(`No snippet with id ${JSON.stringify(id)}`);
  if (record.deletedAt) {
    // Deleted already: only its owner learns more than that, by having the log deleted again
    // (a delete whose log delete failed answered 500; this retry finishes it).
    if (!(await tokenMatches(token, record.tokenHash))) throw new Gone(`Snippet ${id} was deleted`);
    await callLog(c.env, record.id).deleteAll();
    throw new Gone(`Snippet ${id} was deleted`);
  }
  await authorize(token, record);
  await deleteSnippet(c.env.DB, record.id);
  // After the tombstone, so a call still running cannot be recorded behind it (the log stays closed).
  await callLog(c.env, record.id).deleteAll();
  return c.body(null, 204);
});

snippets.get("/:id/versions", async (c) => {
  const record = await liveSnippet(c.env.DB, c.req.param("id"));
  return c.json({ versions: await listVersions(c.env.DB, record.id) });
});

snippets.get("/:id/versions/:version", async (c) => {
  const parsed = VersionParam.safeParse(c.req.param("version"));
  if (!parsed.success) throw new BadRequest("Version must be a positive integer");
  const record = await liveSnippet(c.env.DB, c.req.param("id"));
  const found = await getVersion(c.env.DB, record.id, parsed.data);
  if (!found) throw new NotFound(`Snippet ${record.id} has no version ${parsed.data}`);
  const view: SnippetVersionView = {
    id: record.id,
    language: record.language,
    version: found.version,
    code: found.code,
    createdAt: found.createdAt,
    endpointUrl: `${origin(c)}/fn/${record.id}@${found.version}`,
  };
  return c.json(view);
});

snippets.post(
  "/:id/fork",
  saveLimit,
  ...jsonBody(ForkSnippet, { emptyAsObject: true }),
  async (c) => {
    const body = c.req.valid("json");
    const source = await liveSnippet(c.env.DB, c.req.param("id"));
    const version = body.version ?? source.currentVersion;
    const found = await getVersion(c.env.DB, source.id, version);
    if (!found) throw new NotFound(`Snippet ${source.id} has no version ${version}`);
    const token = newEditToken();
    const record = await insertSnippet(c.env.DB, {
      id: newSnippetId(),
      language: source.language,
      title: body.title ?? source.title,
      code: found.code,
      compiled: found.compiled,
      compiler: found.compiler,
      tokenHash: await hashToken(token),
      forkedFrom: source.id,
      description: source.description,
      requestJson: source.requestJson,
    });
    await copyEnvNames(c.env.DB, source.id, record.id);
    return created(c, record, found.code, token);
  },
);

/** Freezes the public endpoint `/fn/:id` at a version (the latest when none is given). */
snippets.put(
  "/:id/freeze",
  requireOwner,
  ...jsonBody(FreezeSnippet, { emptyAsObject: true }),
  async (c) => {
    const body = c.req.valid("json");
    const record = c.get("owned");
    const version = body.version ?? record.currentVersion;
    const frozen = await setFrozenVersion(c.env.DB, record.id, version);
    if (!frozen) throw new NotFound(`Snippet ${record.id} has no version ${version}`);
    return c.json(await latestView(c, frozen));
  },
);

/** Unfreezes: `/fn/:id` serves the latest version again. */
snippets.delete("/:id/freeze", requireOwner, async (c) => {
  const record = c.get("owned");
  const thawed = await setFrozenVersion(c.env.DB, record.id, null);
  if (!thawed) throw new Gone(`Snippet ${record.id} was deleted`);
  return c.json(await latestView(c, thawed));
});

export default snippets;

/** The snippet as the API shows it, with its latest code. */
async function latestView(
  c: Context<OwnerRoute, string>,
  record: SnippetRecord,
): Promise<SnippetView> {
  const latest = await getVersion(c.env.DB, record.id, record.currentVersion);
  if (!latest) throw new NotFound(`Snippet ${record.id} has no version ${record.currentVersion}`);
  return snippetView(c, record, latest.code);
}

/** The snippet with `id`: 404 if there is none, 410 if it was deleted. */
export async function liveSnippet(db: D1Database, id: string): Promise<SnippetRecord> {
  const record = isSnippetId(id) ? await getSnippet(db, id) : null;
  if (!record) throw new NotFound(`No snippet with id ${JSON.stringify(id)}`);
  if (record.deletedAt) throw new Gone(`Snippet ${id} was deleted`);
  return record;
}

/** The edit token from `Authorization: Bearer <token>`; 401 when there is none. */
export function bearerToken(c: Context): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
  if (!match?.[1]) {
    throw new Unauthorized("This needs the snippet's edit token: Authorization: Bearer <token>");
  }
  return match[1];
}

/** What an owner-only route knows once `requireOwner` let it through. */
export type OwnerRoute = { Bindings: Env; Variables: { owned: SnippetRecord } };

/**
 * Middleware of an owner-only route, before its body is read: 401 without a token, 404 / 410
 * for no live snippet `:id`, 403 for a wrong token; the route gets the snippet as `owned`. A
 * stranger's malformed or huge body is refused for what it is, a stranger's, not parsed first.
 */
export async function requireOwner(c: Context<OwnerRoute>, next: Next): Promise<void> {
  const token = bearerToken(c);
  const record = await liveSnippet(c.env.DB, c.req.param("id") ?? "");
  await authorize(token, record);
  c.set("owned", record);
  await next();
}

/** 403 unless `token` is the snippet's edit token. */
export async function authorize(token: string, record: SnippetRecord): Promise<void> {
  if (!(await tokenMatches(token, record.tokenHash))) {
    throw new Forbidden(`The edit token does not match snippet ${record.id}`);
  }
}

function origin(c: Context): string {
  return new URL(c.req.url).origin;
}

function snippetView(c: Context, record: SnippetRecord, code: string): SnippetView {
  return {
    id: record.id,
    language: record.language,
    title: record.title,
    description: record.description,
    request: record.requestJson ? (JSON.parse(record.requestJson) as SavedRequest) : null,
    frozenVersion: record.frozenVersion,
    version: record.currentVersion,
    code,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    forkedFrom: record.forkedFrom,
    shareUrl: `${origin(c)}/s/${record.id}`,
    endpointUrl: `${origin(c)}/fn/${record.id}`,
  };
}

function created(c: Context, record: SnippetRecord, code: string, token: string): Response {
  const body: CreatedSnippet = { ...snippetView(c, record, code), token };
  return c.json(body, 201, { location: `/api/snippets/${record.id}` });
}
