/**
 * Snippet versions that took a runner down, refused for a while. A run in a runner process that
 * passes its deadline (or whose runner died under it) left that runner's thread stuck: every
 * further call to the same code would do it again, and a few callers flooding a runaway would
 * keep every runner stuck, so that everyone else's endpoints time out. Such a version (`id@N`)
 * is refused at once with a `503` for a cooldown that doubles with each repeat offence. A new
 * version (the owner saved) is other code, and runs.
 *
 * Kept in the app's memory, bounded (`BoundedCache`); per app isolate, which under `npm run dev`
 * (the only place with runner processes) is the one process.
 */
import { BoundedCache } from "../../workers/bounded-cache.ts";
import { retryLaterResponse } from "../../workers/http.ts";
import type { WireResponse } from "../../workers/runtime-protocol.ts";
import { RUN_DEADLINE_MS } from "./limits.ts";

/** A first offence's cooldown. */
export const QUARANTINE_FIRST_MS = 30_000;
/** The longest cooldown: each repeat doubles it up to this. */
export const QUARANTINE_MAX_MS = 600_000;

/** What a version did: ran past the deadline, or its runner died under it. */
export type OffenceKind = "deadline" | "runner died";

interface Offence {
  kind: OffenceKind;
  /** Calls are refused until then. */
  until: number;
  /** The cooldown it got. */
  cooldownMs: number;
}

/**
 * Versions remembered at the most (the least recently offending forgotten first). An offence is
 * forgotten anyway once `QUARANTINE_MAX_MS` passed after its cooldown: the next one counts as a
 * first again.
 */
const offences = new BoundedCache<Offence>({ maxEntries: 10_000, maxWeight: 10_000 });

const keyOf = (snippet: { id: string; version: number }) => `${snippet.id}@${snippet.version}`;

/**
 * Versions whose run failed with its runner while other runs shared it, and when: the runaway may
 * have been another's, so such a failure is never held against a version by itself (else anyone
 * could take an innocent endpoint offline by calling it beside a runaway of their own, twice). A
 * suspect is on probation instead: its next run goes to a runner with nothing else in flight
 * and has it to itself (`pickIdleRunner`), so that its fate is its own. It is acquitted when that
 * run answers, quarantined when it fails.
 */
const suspects = new BoundedCache<number>({ maxEntries: 10_000, maxWeight: 10_000 });

/**
 * How long a suspicion lasts when no run settles it: as long as a repeat offence counts, so that a
 * runaway whose every call is spaced out and shared still meets its probation.
 */
export const SUSPECT_MS = QUARANTINE_MAX_MS;

/**
 * Quarantines `snippet`'s version: its run passed the deadline or its runner died under it.
 * Returns the cooldown it got; an offence while it is already quarantined (a run sent before it
 * was) changes nothing. A run that `shared` its runner with others is only suspected (the answer
 * is then 0: no cooldown), unless its version was quarantined before within `QUARANTINE_MAX_MS`.
 */
export function quarantine(
  snippet: { id: string; version: number },
  kind: OffenceKind,
  now = Date.now(),
  shared = false,
): number {
  const key = keyOf(snippet);
  const last = offences.peek(key);
  if (last && now < last.until) return last.until - now;
  const repeat = last !== undefined && now - last.until < QUARANTINE_MAX_MS;
  // A version already quarantined gets no benefit of the doubt: else a runaway that always sends
  // a companion call beside it would take its runner down every time.
  if (shared && !repeat) {
    suspects.set(key, now, now);
    return 0;
  }
  suspects.delete(key);
  const cooldownMs = repeat
    ? Math.min(last.cooldownMs * 2, QUARANTINE_MAX_MS)
    : QUARANTINE_FIRST_MS;
  offences.set(key, { kind, until: now + cooldownMs, cooldownMs }, now);
  return cooldownMs;
}

/** Whether `snippet`'s version is a suspect: its next run must have a runner to itself. */
export function onProbation(snippet: { id: string; version: number }, now = Date.now()): boolean {
  const suspectedAt = suspects.peek(keyOf(snippet));
  return suspectedAt !== undefined && now - suspectedAt <= SUSPECT_MS;
}

/** Clears `snippet`'s version of suspicion: a run of it that had its runner to itself answered. */
export function acquit(snippet: { id: string; version: number }): void {
  suspects.delete(keyOf(snippet));
}

/** fnpad's answer to a call of a quarantined version, or null when it may run. */
export function quarantined(
  snippet: { id: string; version: number },
  now = Date.now(),
): WireResponse | null {
  const offence = offences.peek(keyOf(snippet));
  if (!offence || now >= offence.until) return null;
  const seconds = Math.ceil((offence.until - now) / 1000);
  const what =
    offence.kind === "deadline"
      ? `was stopped at its ${RUN_DEADLINE_MS / 1000} s deadline`
      : "took its runner down";
  return retryLaterResponse(
    `stopped: version ${snippet.version} of this snippet ${what}, so its calls are refused ` +
      `for ${seconds} more s (a new version runs at once)`,
    seconds,
  );
}

/** Forgets every offence (for tests). */
export function forgetOffences(): void {
  offences.deleteWhere(() => true);
  suspects.deleteWhere(() => true);
}
