/**
 * What `/fn/:id[@N]` needs before it can run anything: the version to run and the snippet's env,
 * from this isolate's caches (`snippet-cache.ts`) when they hold it, else from D1 in one round
 * trip each. `FNPAD_CACHE=off` (`wrangler dev --var FNPAD_CACHE:off`, for the bench) reads D1
 * on every call, as fnpad did before the caches.
 */
import type { Language } from "../workers/runtime-protocol.ts";
import { runnableVersion } from "./compiled.ts";
import { type EndpointGuard, findEndpoint, findVersion, type RunnableVersion } from "./db.ts";
import { envValues } from "./env-values.ts";
import {
  cachedEnv,
  cachedHead,
  cachedVersion,
  readEpoch,
  rememberEnv,
  rememberHead,
  rememberVersion,
  type SnippetHead,
  staleHead,
} from "./snippet-cache.ts";

type LookupEnv = Pick<Env, "DB" | "ENV_KEY">;

function cachesOff(env: LookupEnv): boolean {
  return (env as { FNPAD_CACHE?: string }).FNPAD_CACHE === "off";
}

/** The version a head serves for `pinned` (`null`: the frozen one, else the latest). */
function servedVersion(head: NonNullable<SnippetHead>, pinned: number | null): number {
  return pinned ?? head.frozenVersion ?? head.currentVersion;
}

/** A version to run and the guard of its endpoint (owner, rate limits). */
export interface Endpoint {
  snippet: RunnableVersion;
  guard: EndpointGuard;
  /** The version `/fn/:id` serves now (the frozen one, else the latest): the one env is for. */
  servedVersion: number;
}

/**
 * The code to run for `/fn/:id` or `/fn/:id@pinned`, with its guard; null when the snippet or
 * version does not exist or the snippet was deleted.
 */
export async function findRunnable(
  env: LookupEnv,
  id: string,
  pinned: number | null,
): Promise<Endpoint | null> {
  if (cachesOff(env)) return findEndpoint(env.DB, id, pinned ?? undefined);
  const head = cachedHead(id);
  // A pin past the latest version this isolate knows of may be a version saved meanwhile
  // elsewhere: D1 is asked, never a 404 from an old head.
  if (head !== undefined && (head === null || pinned === null || pinned <= head.currentVersion)) {
    if (head === null || head.deleted) return null;
    const wanted = servedVersion(head, pinned);
    const known = cachedVersion(id, wanted);
    if (known)
      return { snippet: known, guard: head.guard, servedVersion: servedVersion(head, null) };
  }
  return readThrough(env.DB, id, pinned);
}

interface HeadRow extends EndpointGuard {
  language: Language;
  currentVersion: number;
  frozenVersion: number | null;
  deleted: number;
  version: number | null;
  code: string | null;
  compiled: string | null;
  compiler: number | null;
}

/**
 * One round trip: the head, and the served version's code unless it is the version this isolate
 * already holds (`known`: the pin, or what the expired head served).
 */
async function readThrough(
  db: D1Database,
  id: string,
  pinned: number | null,
): Promise<Endpoint | null> {
  const since = readEpoch();
  const hint = staleHead(id);
  const guess = pinned ?? (hint ? servedVersion(hint, null) : 0);
  const known = cachedVersion(id, guess) ? guess : 0;
  const row = await db
    .prepare(
      `SELECT s.language, s.current_version AS currentVersion, s.frozen_version AS frozenVersion,
         s.deleted_at IS NOT NULL AS deleted, v.version, s.token_hash AS tokenHash,
         s.client_limit AS clientLimit, s.snippet_limit AS snippetLimit,
         CASE WHEN v.version = ?1 THEN NULL ELSE v.code END AS code,
         CASE WHEN v.version = ?1 THEN NULL ELSE v.compiled END AS compiled,
         v.compiler
       FROM snippets s LEFT JOIN versions v
         ON v.snippet_id = s.id AND v.version = COALESCE(?2, s.frozen_version, s.current_version)
       WHERE s.id = ?3`,
    )
    .bind(known, pinned, id)
    .first<HeadRow>();
  const head: SnippetHead = row && {
    language: row.language,
    currentVersion: row.currentVersion,
    frozenVersion: row.frozenVersion,
    deleted: row.deleted === 1,
    guard: {
      tokenHash: row.tokenHash,
      clientLimit: row.clientLimit,
      snippetLimit: row.snippetLimit,
    },
  };
  rememberHead(id, head, since);
  if (!head || head.deleted || row?.version == null) return null;
  const { guard } = head;
  const served = servedVersion(head, null);
  if (row.code === null) {
    const snippet = cachedVersion(id, row.version) ?? (await findVersion(db, id, row.version));
    return snippet && { snippet, guard, servedVersion: served };
  }
  const runnable = runnableVersion({
    id,
    language: row.language,
    version: row.version,
    code: row.code,
    compiled: row.compiled,
    compiler: row.compiler,
  });
  rememberVersion(runnable);
  return { snippet: runnable, guard, servedVersion: served };
}

/** The snippet's variables and secrets for one call: a fresh object each time. */
export async function endpointEnv(
  env: LookupEnv,
  id: string,
): Promise<Awaited<ReturnType<typeof envValues>>> {
  if (cachesOff(env)) return envValues(env, id);
  const cached = cachedEnv(id);
  if (cached) return cached;
  const since = readEpoch();
  const values = await envValues(env, id);
  rememberEnv(id, values, since);
  return values;
}
