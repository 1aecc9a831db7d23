import type { VersionSummary } from "../workers/api-types.ts";
import type { Language } from "../workers/runtime-protocol.ts";
import { runnableVersion, type StoredVersion } from "./compiled.ts";
import { deleteAllEnv } from "./env-db.ts";
import {
  type EndpointGuard,
  forgetHead,
  forgetSnippet,
  type RunnableVersion,
} from "./snippet-cache.ts";

/** A row of `snippets`, including deleted ones (tombstones). */
export interface SnippetRecord {
  id: string;
  language: Language;
  title: string;
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
  forkedFrom: string | null;
  tokenHash: string;
  deletedAt: string | null;
  description: string;
  /** The saved request as JSON, or null. */
  requestJson: string | null;
  /** The version `/fn/:id` serves while frozen; null serves the latest. */
  frozenVersion: number | null;
  /** The owner's rate limits in calls a minute; null: the default. */
  clientLimit: number | null;
  snippetLimit: number | null;
}

/** A row of `versions`. */
export interface VersionRecord {
  version: number;
  code: string;
  /** TypeScript compiled to JavaScript; null for Python. */
  compiled: string | null;
  /** The `COMPILER_VERSION` that made `compiled`; null for Python and for versions saved before it was kept. */
  compiler: number | null;
  createdAt: string;
}

/** What an endpoint needs to run one version of a snippet (defined with its cache, which runs without D1's types). */
export type { EndpointGuard, RunnableVersion } from "./snippet-cache.ts";

/** A new snippet's first version and metadata. */
export interface NewSnippet {
  id: string;
  language: Language;
  title: string;
  code: string;
  compiled: string | null;
  /** The `COMPILER_VERSION` that made `compiled`. */
  compiler: number | null;
  tokenHash: string;
  forkedFrom: string | null;
  description: string;
  /** The saved request as JSON, or null. */
  requestJson: string | null;
}

/** A new version of an existing snippet; an undefined title, description or request keeps the current one. */
export interface NewVersion {
  code: string;
  compiled: string | null;
  /** The `COMPILER_VERSION` that made `compiled`. */
  compiler: number | null;
  title: string | undefined;
  description: string | undefined;
  /** The saved request as JSON; `null` removes it. */
  requestJson: string | null | undefined;
}

const SNIPPET_COLUMNS = `id, language, title, current_version AS currentVersion, created_at AS createdAt,
  updated_at AS updatedAt, forked_from AS forkedFrom, token_hash AS tokenHash, deleted_at AS deletedAt,
  description, request AS requestJson, frozen_version AS frozenVersion,
  client_limit AS clientLimit, snippet_limit AS snippetLimit`;

/** The snippet with `id`, deleted or not; null if there never was one. */
export function getSnippet(db: D1Database, id: string): Promise<SnippetRecord | null> {
  return db.prepare(`SELECT ${SNIPPET_COLUMNS} FROM snippets WHERE id = ?`).bind(id).first();
}

/** One version of a snippet, or null if it does not exist. */
export function getVersion(
  db: D1Database,
  id: string,
  version: number,
): Promise<VersionRecord | null> {
  return db
    .prepare(
      `SELECT version, code, compiled, compiler, created_at AS createdAt
       FROM versions WHERE snippet_id = ? AND version = ?`,
    )
    .bind(id, version)
    .first();
}

/**
 * The code to run for `/fn/:id` (the frozen version, else the latest) or `/fn/:id@version`, and
 * its guard; null when the snippet or version does not exist or the snippet was deleted. The guard
 * stays apart from the code, which goes on to the runners.
 */
export async function findEndpoint(
  db: D1Database,
  id: string,
  version?: number,
): Promise<{ snippet: RunnableVersion; guard: EndpointGuard; servedVersion: number } | null> {
  const row = await db
    .prepare(
      `SELECT s.id, s.language, v.version, v.code, v.compiled, v.compiler, s.token_hash AS tokenHash,
         s.client_limit AS clientLimit, s.snippet_limit AS snippetLimit,
         COALESCE(s.frozen_version, s.current_version) AS servedVersion
       FROM snippets s JOIN versions v
         ON v.snippet_id = s.id AND v.version = COALESCE(?, s.frozen_version, s.current_version)
       WHERE s.id = ? AND s.deleted_at IS NULL`,
    )
    .bind(version ?? null, id)
    .first<StoredVersion & EndpointGuard & { servedVersion: number }>();
  if (!row) return null;
  const { tokenHash, clientLimit, snippetLimit, servedVersion, ...stored } = row;
  const guard = { tokenHash, clientLimit, snippetLimit };
  return { snippet: runnableVersion(stored), guard, servedVersion };
}

/** The code to run for `/fn/:id` or `/fn/:id@version` (see `findEndpoint`). */
export async function findVersion(
  db: D1Database,
  id: string,
  version?: number,
): Promise<RunnableVersion | null> {
  return (await findEndpoint(db, id, version))?.snippet ?? null;
}

/** Sets a snippet's rate limits (null: back to the default); false when it is gone. */
export async function setRateLimits(
  db: D1Database,
  id: string,
  limits: { clientLimit: number | null; snippetLimit: number | null },
): Promise<boolean> {
  const { meta } = await db
    .prepare(
      "UPDATE snippets SET client_limit = ?, snippet_limit = ? WHERE id = ? AND deleted_at IS NULL",
    )
    .bind(limits.clientLimit, limits.snippetLimit, id)
    .run();
  forgetHead(id);
  return meta.changes > 0;
}

/** The version history of a snippet, newest first. */
export async function listVersions(db: D1Database, id: string): Promise<VersionSummary[]> {
  const { results } = await db
    .prepare(
      `SELECT version, created_at AS createdAt, length(CAST(code AS BLOB)) AS size
       FROM versions WHERE snippet_id = ? ORDER BY version DESC`,
    )
    .bind(id)
    .all<VersionSummary>();
  return results;
}

/** Stores a new snippet with its version 1, in one transaction. */
export async function insertSnippet(db: D1Database, snippet: NewSnippet): Promise<SnippetRecord> {
  const now = new Date().toISOString();
  // A duplicate id (≈59 random bits) fails the primary key and surfaces as a 500; not worth a retry loop.
  await db.batch([
    db
      .prepare(
        `INSERT INTO snippets (id, language, title, current_version, created_at, updated_at,
           forked_from, token_hash, description, request) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        snippet.id,
        snippet.language,
        snippet.title,
        now,
        now,
        snippet.forkedFrom,
        snippet.tokenHash,
        snippet.description,
        snippet.requestJson,
      ),
    db
      .prepare(
        `INSERT INTO versions (snippet_id, version, code, compiled, compiler, created_at)
         VALUES (?, 1, ?, ?, ?, ?)`,
      )
      .bind(snippet.id, snippet.code, snippet.compiled, snippet.compiler, now),
  ]);
  // An endpoint may have been asked for this id before it existed (its 404 is cached).
  forgetHead(snippet.id);
  return {
    id: snippet.id,
    language: snippet.language,
    title: snippet.title,
    currentVersion: 1,
    createdAt: now,
    updatedAt: now,
    forkedFrom: snippet.forkedFrom,
    tokenHash: snippet.tokenHash,
    deletedAt: null,
    description: snippet.description,
    requestJson: snippet.requestJson,
    frozenVersion: null,
    clientLimit: null,
    snippetLimit: null,
  };
}

/**
 * Appends a version; the number is computed inside the transaction, so concurrent saves
 * get consecutive numbers. Returns the updated snippet, or null if it is gone.
 */
export async function appendVersion(
  db: D1Database,
  id: string,
  next: NewVersion,
): Promise<SnippetRecord | null> {
  const now = new Date().toISOString();
  const [, updated] = await db.batch<SnippetRecord>([
    db
      .prepare(
        `INSERT INTO versions (snippet_id, version, code, compiled, compiler, created_at)
         SELECT id, current_version + 1, ?, ?, ?, ? FROM snippets WHERE id = ? AND deleted_at IS NULL`,
      )
      .bind(next.code, next.compiled, next.compiler, now, id),
    db
      .prepare(
        `UPDATE snippets SET current_version = current_version + 1, updated_at = ?,
           title = COALESCE(?, title), description = COALESCE(?, description),
           request = CASE WHEN ? THEN ? ELSE request END
         WHERE id = ? AND deleted_at IS NULL RETURNING ${SNIPPET_COLUMNS}`,
      )
      .bind(
        now,
        next.title ?? null,
        next.description ?? null,
        next.requestJson === undefined ? 0 : 1,
        next.requestJson ?? null,
        id,
      ),
  ]);
  forgetHead(id);
  return updated?.results[0] ?? null;
}

/**
 * Deletes a snippet's code, title and env; the row stays as a tombstone so its id is never reused.
 */
export async function deleteSnippet(db: D1Database, id: string): Promise<void> {
  await db.batch([
    db.prepare("DELETE FROM versions WHERE snippet_id = ?").bind(id),
    deleteAllEnv(db, id),
    db
      .prepare(
        "UPDATE snippets SET deleted_at = ?, title = '', description = '', request = NULL WHERE id = ?",
      )
      .bind(new Date().toISOString(), id),
  ]);
  forgetSnippet(id);
}

/**
 * Pins `/fn/:id` to `version` (or, with null, back to the latest); returns the updated snippet,
 * or null if it is gone or has no such version.
 */
export async function setFrozenVersion(
  db: D1Database,
  id: string,
  version: number | null,
): Promise<SnippetRecord | null> {
  const updated = await db
    .prepare(
      `UPDATE snippets SET frozen_version = ?
       WHERE id = ? AND deleted_at IS NULL
         AND (? IS NULL OR EXISTS (SELECT 1 FROM versions WHERE snippet_id = ? AND version = ?))
       RETURNING ${SNIPPET_COLUMNS}`,
    )
    .bind(version, id, version, id, version)
    .first<SnippetRecord>();
  forgetHead(id);
  return updated;
}
