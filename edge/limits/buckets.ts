/**
 * The token buckets of one snippet's endpoint: one for everyone together, one per client and one
 * per address (all the clients behind it, at `ADDRESS_FACTOR` times a client's limit).
 * Plain data and arithmetic, no I/O: the snippet's Durable Object (`../calls/call-log.ts`) holds
 * one `EndpointBuckets` in memory and asks it about every call.
 *
 * Memory only, and that is enough: a bucket holds `RATE_LIMITS.burstSeconds` (10 s) of refill,
 * so after 10 s without calls every bucket is full again, and a Durable Object is only evicted
 * (hibernated) after 10 s without calls. Losing the buckets then loses nothing; writing them to
 * storage on each call would hold every response until the write is confirmed.
 */

import type { RateLimits } from "../../workers/api-types.ts";
import { BoundedCache } from "../../workers/bounded-cache.ts";
import { RATE_LIMITS } from "../../workers/limits.ts";
import { burstOf } from "../../workers/rate-limits.ts";

/** Which limit refused a call (the per-address limit is counted for the owner as `perClient`). */
export type LimitName = keyof RateLimits;

/**
 * The clients behind one address may make this many times one client's calls, together: one
 * script that varies its `User-Agent` counts as many clients, but not as more than this many.
 */
export const ADDRESS_FACTOR = 4;

/** The address part of a client key (`clientOf` in `./guard.ts`: the address, a space, the rest). */
export function addressOfClient(client: string): string {
  const space = client.indexOf(" ");
  return space === -1 ? client : client.slice(0, space);
}

/**
 * An admitted call may come with a `lease`: that many further calls taken from all of its buckets
 * at once and handed to the asking app isolate, which admits them itself (`./lease.ts`). Only a
 * client's repeat calls bring one back.
 */
export type Admission =
  | { admitted: true; lease?: number }
  | {
      admitted: false;
      limit: LimitName;
      retryAfterSeconds: number;
      /** Set when it was the limit on every client behind the caller's address together. */
      byAddress?: true;
    };

interface Bucket {
  tokens: number;
  /** When `tokens` was counted, in ms. */
  at: number;
}

/**
 * The most calls one lease hands out. A lease takes a quarter of what is left in the emptier
 * bucket, never more, so a lease that goes unused costs its client a quarter of its burst at most.
 */
export const MAX_LEASE = 50;

/** Clients remembered at the most; past this the least recently admitted are forgotten (full again). */
export const MAX_CLIENTS = 10_000;

const BURST_MS = RATE_LIMITS.burstSeconds * 1000;

/** The bucket's tokens at `now` (a bucket never seen is full). */
function level(bucket: Bucket | undefined, perMinute: number, now: number): number {
  const burst = burstOf(perMinute);
  if (!bucket) return burst;
  const refill = (Math.max(0, now - bucket.at) / 60_000) * perMinute;
  return Math.min(burst, bucket.tokens + refill);
}

/** The calls a lease takes when `left` are left in the emptier bucket. */
function leaseOf(left: number): number {
  return Math.min(MAX_LEASE, Math.floor(left / 4));
}

function refusal(limit: LimitName, tokens: number, perMinute: number): Admission {
  // Until the bucket holds one whole call again; whole seconds, as `Retry-After` wants.
  const seconds = Math.ceil(((1 - tokens) * 60) / perMinute);
  return { admitted: false, limit, retryAfterSeconds: Math.max(1, seconds) };
}

/**
 * Buckets by key, least recently used first. One untouched for `BURST_MS` is full again, the same
 * as one never seen, so it expires then; past `MAX_CLIENTS` the least recently used go.
 */
function bucketMap(): BoundedCache<Bucket> {
  return new BoundedCache<Bucket>({
    maxEntries: MAX_CLIENTS,
    maxWeight: MAX_CLIENTS,
    ttlMs: BURST_MS,
  });
}

export class EndpointBuckets {
  private snippet: Bucket | undefined;
  /** Per client. */
  private readonly clients = bucketMap();
  /** The same, per address: every client behind it together. */
  private readonly addresses = bucketMap();

  /**
   * Takes one call from `client`'s bucket, its address's and the snippet's, or none of them. The
   * client's limit is checked first, then its address's, so that a client over its own limit
   * uses up neither its neighbours' share nor everyone else's. With `lease`, an admitted call
   * also takes up to `MAX_LEASE` further calls from all three buckets for the caller.
   */
  admit(client: string, limits: RateLimits, now: number, lease = false): Admission {
    const known = this.clients.get(client, now);
    const clientTokens = level(known, limits.perClient, now);
    if (clientTokens < 1) return refusal("perClient", clientTokens, limits.perClient);
    const address = addressOfClient(client);
    const perAddress = limits.perClient * ADDRESS_FACTOR;
    const addressTokens = level(this.addresses.get(address, now), perAddress, now);
    if (addressTokens < 1) {
      const refused = refusal("perClient", addressTokens, perAddress);
      return refused.admitted ? refused : { ...refused, byAddress: true };
    }
    const snippetTokens = level(this.snippet, limits.perSnippet, now);
    if (snippetTokens < 1) return refusal("perSnippet", snippetTokens, limits.perSnippet);
    // Only to a client that called before (within the 10 s its bucket is remembered): a lease
    // that goes unused is lost to its address too, and a room's phones that call once each
    // would otherwise spend the address's share on leases nobody takes.
    const repeat = known !== undefined;
    const leased =
      lease && repeat ? leaseOf(Math.min(clientTokens, addressTokens, snippetTokens) - 1) : 0;
    this.snippet = { tokens: snippetTokens - 1 - leased, at: now };
    this.clients.set(client, { tokens: clientTokens - 1 - leased, at: now }, now);
    this.addresses.set(address, { tokens: addressTokens - 1 - leased, at: now }, now);
    this.clients.prune(now);
    this.addresses.prune(now);
    return leased > 0 ? { admitted: true, lease: leased } : { admitted: true };
  }

  /** How many clients are remembered (for tests). */
  get clientCount(): number {
    return this.clients.size;
  }

  /** How many addresses are remembered (for tests). */
  get addressCount(): number {
    return this.addresses.size;
  }
}
