import { type Context, Hono } from "hono";
import type {
  CreatedSnippet,
  Language,
  SnippetVersionView,
  SnippetView,
} from "../../workers/protocol.ts";
import { CompileError, compileTypeScript } from "../../workers/typescript/compile.ts";
import {
  appendVersion,
  deleteSnippet,
  getSnippet,
  getVersion,
  insertSnippet,
  listVersions,
  type SnippetRecord,
} from "../db.ts";
import { copyEnvNames } from "../env-db.ts";
import {
  BadRequest,
  Forbidden,
  Gone,
  NotFound,
  Unauthorized,
  UnprocessableEntity,
} from "../errors.ts";
import { assertCodeSize, readJsonBody } from "../json-body.ts";
import { CreateSnippet, ForkSnippet, UpdateSnippet, VersionParam } from "../schemas.ts";
import { hashToken, isSnippetId, newEditToken, newSnippetId, tokenMatches } from "../tokens.ts";

/** The JSON API for snippets, mounted at `/api/snippets`. */
const snippets = new Hono<{ Bindings: Env }>();

snippets.post("/", async (c) => {
  const body = await readJsonBody(c.req.raw, CreateSnippet);
  assertCodeSize(body.code);
  const token = newEditToken();
  const record = await insertSnippet(c.env.DB, {
    id: newSnippetId(),
    language: body.language,
    title: body.title ?? "",
    code: body.code,
    compiled: compileFor(body.language, body.code),
    tokenHash: await hashToken(token),
    forkedFrom: null,
  });
  return created(c, record, body.code, token);
});

snippets.get("/:id", async (c) => {
  const record = await liveSnippet(c.env.DB, c.req.param("id"));
  const latest = await getVersion(c.env.DB, record.id, record.currentVersion);
  if (!latest) throw new NotFound(`Snippet ${record.id} has no version ${record.currentVersion}`);
  return c.json(snippetView(c, record, latest.code));
});

snippets.put("/:id", async (c) => {
  const token = bearerToken(c);
  const body = await readJsonBody(c.req.raw, UpdateSnippet);
  assertCodeSize(body.code);
  const record = await liveSnippet(c.env.DB, c.req.param("id"));
  await authorize(token, record);
  const updated = await appendVersion(c.env.DB, record.id, {
    code: body.code,
    compiled: compileFor(record.language, body.code),
    title: body.title,
  });
  if (!updated) throw new Gone(`Snippet ${record.id} was deleted`);
  return c.json(snippetView(c, updated, body.code));
});

snippets.delete("/:id", async (c) => {
  const token = bearerToken(c);
  const record = await liveSnippet(c.env.DB, c.req.param("id"));
  await authorize(token, record);
  await deleteSnippet(c.env.DB, record.id);
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

snippets.post("/:id/fork", async (c) => {
  const body = await readJsonBody(c.req.raw, ForkSnippet, { emptyAsObject: true });
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
    tokenHash: await hashToken(token),
    forkedFrom: source.id,
  });
  await copyEnvNames(c.env.DB, source.id, record.id);
  return created(c, record, found.code, token);
});

export default snippets;

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

export async function authorize(token: string, record: SnippetRecord): Promise<void> {
  if (!(await tokenMatches(token, record.tokenHash))) {
    throw new Forbidden(`The edit token does not match snippet ${record.id}`);
  }
}

/**
 * TypeScript is compiled once, at save time. A syntax error refuses the save with its position:
 * the client still holds the text, and nothing stored is replaced by code that cannot run.
 */
function compileFor(language: Language, code: string): string | null {
  if (language !== "typescript") return null;
  try {
    return compileTypeScript(code);
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    const { message, line, column } = error;
    throw new UnprocessableEntity("compile_error", `Line ${line}:${column}: ${message}`, {
      line,
      column,
    });
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
