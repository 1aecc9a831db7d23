/**
 * Calls an app isolate may admit without asking the snippet's Durable Object. Asking costs a
 * round trip on every call (about 1.5 ms locally, and a trip to wherever the object lives in
 * production), so a client's repeat call may bring back a lease: a few more calls for the same
 * client and snippet, already taken from all of the object's buckets it counts against (the
 * client's, its address's and the snippet's: `./buckets.ts`). The limits hold
 * exactly: every call admitted here was counted there. What a lease can cost is the other way:
 * calls it holds that nobody makes are lost to the client, a quarter of its bucket at most.
 *
 * A lease lives one second, so it never adds more than one second's refill to a burst, and is
 * kept with the limits it was taken under, so a change of limits takes effect on the next call.
 * Calls from one client that arrive together wait (briefly) for the one asking, so that the lease
 * it brings back is used rather than each of them asking for a lease of its own.
 */
import type { RateLimits } from "../../workers/api-types.ts";
import { BoundedCache } from "../../workers/bounded-cache.ts";
import type { Admission } from "./buckets.ts";

/** How long a lease may be used. */
export const LEASE_MS = 1000;

/** How long a call waits for another call's question before asking itself. */
const WAIT_MS = 100;

interface Lease {
  /** The limits the lease was taken under (`perClient/perSnippet`). */
  limits: string;
  /** Calls left. */
  calls: number;
}

const leases = new BoundedCache<Lease>({ maxEntries: 10_000, maxWeight: 10_000, ttlMs: LEASE_MS });
/** Questions to the object on their way, by lease key; settled, never rejected. */
const asking = new Map<string, Promise<void>>();

const ADMITTED: Admission = { admitted: true };

/**
 * Admits a call from `client` to snippet `snippetId` under `limits`: from a lease when one holds a
 * call, else by `ask` (the object's answer, which may bring a lease back for the next calls).
 */
export async function admitWithLease(
  snippetId: string,
  client: string,
  limits: RateLimits,
  ask: (lease: boolean) => Promise<Admission>,
): Promise<Admission> {
  const key = `${snippetId}\n${client}`;
  const under = `${limits.perClient}/${limits.perSnippet}`;
  const waitUntil = Date.now() + WAIT_MS;
  for (;;) {
    if (takeLeased(key, under)) return ADMITTED;
    const pending = asking.get(key);
    if (!pending || Date.now() >= waitUntil) break;
    // Bounded: the promise belongs to another request, which may be cancelled before it settles.
    await Promise.race([pending, sleep(waitUntil - Date.now())]);
  }

  const question = ask(true);
  const settled = question.then(
    () => undefined,
    () => undefined,
  );
  asking.set(key, settled);
  try {
    const admission = await question;
    if (admission.admitted && admission.lease) giveLease(key, under, admission.lease);
    if (admission.admitted) return ADMITTED;
    // Calls of one client that asked together: the bucket may have gone into leases that the
    // others brought back meanwhile. Those calls were counted already; this call may take one.
    return takeLeased(key, under) ? ADMITTED : admission;
  } finally {
    if (asking.get(key) === settled) asking.delete(key);
  }
}

/** Takes one call from the lease under `key` if it holds one under the same limits. */
function takeLeased(key: string, limits: string): boolean {
  const lease = leases.get(key);
  if (!lease || lease.limits !== limits || lease.calls < 1) return false;
  lease.calls -= 1;
  if (lease.calls === 0) leases.delete(key);
  return true;
}

function giveLease(key: string, limits: string, calls: number): void {
  const held = leases.get(key);
  const kept = held && held.limits === limits ? held.calls : 0;
  leases.set(key, { limits, calls: kept + calls });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
