/** D1 access to `snippet_env` (see `migrations/0002_env.sql`); values are handled in `env-crypto.ts`. */

import type { EnvEntryView } from "../workers/api-types.ts";
import { ENV_LIMITS } from "../workers/limits.ts";
import { forgetEnv } from "./snippet-cache.ts";

/** A row of `snippet_env`. */
export interface EnvRow {
  name: string;
  secret: number;
  value: string | null;
  cipher: string | null;
  iv: string | null;
  size: number;
  updatedAt: string;
}

/** A value to store: a variable's text, or a secret's sealed form (null when empty). */
export interface EnvWrite {
  name: string;
  secret: boolean;
  value: string | null;
  sealed: { cipher: string; iv: string } | null;
  size: number;
}

export async function listEnv(db: D1Database, snippetId: string): Promise<EnvRow[]> {
  const { results } = await db
    .prepare(
      `SELECT name, secret, value, value_cipher AS cipher, iv, size, updated_at AS updatedAt
       FROM snippet_env WHERE snippet_id = ? ORDER BY name`,
    )
    .bind(snippetId)
    .all<EnvRow>();
  return results;
}

/** What the owner's listing shows of a row: never a secret's value. */
export function entryView(row: EnvRow): EnvEntryView {
  const view: EnvEntryView = {
    name: row.name,
    secret: row.secret === 1,
    empty: row.size === 0,
    updatedAt: row.updatedAt,
  };
  if (row.secret !== 1) view.value = row.value ?? "";
  return view;
}

/**
 * Inserts or replaces one entry, only while the snippet is live and the limits hold with it
 * (checked in the same statement, so two concurrent writes cannot together pass them).
 * Returns false when nothing was written.
 */
export async function putEnv(db: D1Database, snippetId: string, entry: EnvWrite): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO snippet_env (snippet_id, name, secret, value, value_cipher, iv, size, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
       WHERE EXISTS (SELECT 1 FROM snippets WHERE id = ?1 AND deleted_at IS NULL)
         AND (SELECT COUNT(*) FROM snippet_env WHERE snippet_id = ?1 AND name <> ?2) < ?9
         AND (SELECT COALESCE(SUM(size), 0) FROM snippet_env WHERE snippet_id = ?1 AND name <> ?2)
             + ?7 <= ?10
       ON CONFLICT (snippet_id, name) DO UPDATE SET secret = excluded.secret,
         value = excluded.value, value_cipher = excluded.value_cipher, iv = excluded.iv,
         size = excluded.size, updated_at = excluded.updated_at`,
    )
    .bind(
      snippetId,
      entry.name,
      entry.secret ? 1 : 0,
      entry.value,
      entry.sealed?.cipher ?? null,
      entry.sealed?.iv ?? null,
      entry.size,
      new Date().toISOString(),
      ENV_LIMITS.entries,
      ENV_LIMITS.totalBytes,
    )
    .run();
  forgetEnv(snippetId);
  return result.meta.changes > 0;
}

/** Deletes one entry; false when there was none. */
export async function deleteEnv(db: D1Database, snippetId: string, name: string): Promise<boolean> {
  const result = await db
    .prepare("DELETE FROM snippet_env WHERE snippet_id = ? AND name = ?")
    .bind(snippetId, name)
    .run();
  forgetEnv(snippetId);
  return result.meta.changes > 0;
}

/** The statement that deletes all of a snippet's env (part of deleting the snippet). */
export function deleteAllEnv(db: D1Database, snippetId: string): D1PreparedStatement {
  return db.prepare("DELETE FROM snippet_env WHERE snippet_id = ?").bind(snippetId);
}

/**
 * A fork gets every name and kind, each with an empty value: secrets are never copied, and
 * neither are variables (the forker would see them in the new snippet's listing).
 */
export async function copyEnvNames(db: D1Database, fromId: string, toId: string): Promise<void> {
  await db
    .prepare(
      `INSERT INTO snippet_env (snippet_id, name, secret, value, value_cipher, iv, size, updated_at)
       SELECT ?, name, secret, CASE secret WHEN 1 THEN NULL ELSE '' END, NULL, NULL, 0, ?
       FROM snippet_env WHERE snippet_id = ?`,
    )
    .bind(toId, new Date().toISOString(), fromId)
    .run();
  forgetEnv(toId);
}
