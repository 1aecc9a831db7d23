/**
 * What an endpoint call would otherwise read from D1 on every call, kept in this isolate's memory.
 *
 * - **Versions** (code and compiled form, by `id@N`) never change once saved: kept until memory
 *   pressure (least recently used first, bounded by bytes), and dropped when the snippet is
 *   deleted.
 * - **Heads** (which version `/fn/:id` serves, and whether the snippet is live) and **env values**
 *   (decrypted) do change: each is kept for `HEAD_TTL_MS` at most, and forgotten at once, in this
 *   isolate, by every write that changes it (`db.ts` and `env-db.ts` call the `forget…`
 *   functions after their writes). Another isolate of the app sees such a write when its own
 *   entry expires: that is the staleness bound the README gives.
 *
 * A read that started before a write must not put back what the write made stale: every write
 * moves `epoch` on, and a read stores what it found only if the epoch has not moved meanwhile.
 */

import { BoundedCache } from "../workers/bounded-cache.ts";
import type { HandlerEnv, Language } from "../workers/runtime-protocol.ts";

/** What an endpoint needs to run one version of a snippet (`db.ts` re-exports it). */
export interface RunnableVersion {
  id: string;
  language: Language;
  version: number;
  code: string;
  compiled: string | null;
}

/** How long a head or an env is believed without asking D1 again. */
export const HEAD_TTL_MS = 2_000;

/** What an endpoint needs besides the code: who owns it and its rate limits (null: the default). */
export interface EndpointGuard {
  tokenHash: string;
  clientLimit: number | null;
  snippetLimit: number | null;
}

/**
 * What decides which version `/fn/:id` serves, and its guard; `null`: no such snippet (a miss D1
 * answered).
 */
export type SnippetHead = {
  language: Language;
  currentVersion: number;
  frozenVersion: number | null;
  deleted: boolean;
  guard: EndpointGuard;
} | null;

/** JavaScript strings are UTF-16: two bytes a character, a fair measure of what they hold. */
const stringBytes = (text: string | null) => (text?.length ?? 0) * 2;

const heads = new BoundedCache<SnippetHead>({
  maxEntries: 10_000,
  maxWeight: 10_000,
  ttlMs: HEAD_TTL_MS,
});

/** 32 MiB of code: a few thousand typical snippets, and at least 60 of the largest (256 KB + compiled). */
const versions = new BoundedCache<RunnableVersion>({
  maxEntries: 20_000,
  maxWeight: 32 * 2 ** 20,
  weigh: (version) => 200 + stringBytes(version.code) + stringBytes(version.compiled),
});

/** Decrypted env values (at most 64 KB of text a snippet), for `HEAD_TTL_MS`. */
const envs = new BoundedCache<HandlerEnv>({
  maxEntries: 5_000,
  maxWeight: 16 * 2 ** 20,
  ttlMs: HEAD_TTL_MS,
  weigh: (env) =>
    Object.entries(env).reduce((sum, [name, value]) => sum + 64 + stringBytes(name + value), 64),
});

let epoch = 0;

/** Where a read stands against writes: pass it back to a `remember…` call. */
export function readEpoch(): number {
  return epoch;
}

export const versionKey = (id: string, version: number) => `${id}@${version}`;

export function cachedHead(id: string): SnippetHead | undefined {
  return heads.get(id);
}

/** The head as it was last read, fresh or not: a hint of which version is probably wanted. */
export function staleHead(id: string): SnippetHead | undefined {
  return heads.peek(id);
}

export function rememberHead(id: string, head: SnippetHead, since: number): void {
  if (since === epoch) heads.set(id, head);
}

export function cachedVersion(id: string, version: number): RunnableVersion | undefined {
  return versions.get(versionKey(id, version));
}

/** Versions are immutable: stored whatever the epoch (a deleted snippet's head keeps them unserved). */
export function rememberVersion(version: RunnableVersion): void {
  versions.set(versionKey(version.id, version.version), version);
}

export function cachedEnv(id: string): HandlerEnv | undefined {
  const env = envs.get(id);
  // A copy: the caller hands it to a run, and nothing a run does may reach the next one.
  return env && { ...env };
}

export function rememberEnv(id: string, env: HandlerEnv, since: number): void {
  if (since === epoch) envs.set(id, { ...env });
}

/** After a write to snippet `id` (a save, a freeze or unfreeze, a new snippet). */
export function forgetHead(id: string): void {
  epoch += 1;
  heads.delete(id);
}

/** After a write to snippet `id`'s env. */
export function forgetEnv(id: string): void {
  epoch += 1;
  envs.delete(id);
}

/** After snippet `id` was deleted: its head, env and every version it had. */
export function forgetSnippet(id: string): void {
  forgetHead(id);
  forgetEnv(id);
  const prefix = `${id}@`;
  versions.deleteWhere((key) => key.startsWith(prefix));
}

/** Sizes, for the bench and the tests that check the bounds. */
export function cacheSizes() {
  return {
    heads: heads.size,
    versions: versions.size,
    versionBytes: versions.weight,
    envs: envs.size,
  };
}
