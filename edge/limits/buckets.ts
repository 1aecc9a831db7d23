/**
 * The token buckets of one snippet's endpoint: one for everyone together and one per client.
 * Plain data and arithmetic, no I/O: the snippet's Durable Object (`../calls/call-log.ts`) holds
 * one `EndpointBuckets` in memory and asks it about every call.
 *
 * Memory only, and that is enough: a bucket holds `RATE_LIMITS.burstSeconds` (10 s) of refill,
 * so after 10 s without calls every bucket is full again, and a Durable Object is only evicted
 * (hibernated) after 10 s without calls. Losing the buckets then loses nothing; writing them to
 * storage on each call would hold every response until the write is confirmed.
 */

import type { RateLimits } from "../../workers/api-types.ts";
import { RATE_LIMITS } from "../../workers/limits.ts";
import { burstOf } from "../../workers/rate-limits.ts";

/** Which limit refused a call. */
export type LimitName = keyof RateLimits;

/**
 * An admitted call may come with a `lease`: that many further calls taken from both buckets at
 * once and handed to the asking app isolate, which admits them itself (`./lease.ts`).
 */
export type Admission =
  | { admitted: true; lease?: number }
  | { admitted: false; limit: LimitName; retryAfterSeconds: number };

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

export class EndpointBuckets {
  private snippet: Bucket | undefined;
  /** In the order they were last admitted, oldest first. */
  private readonly clients = new Map<string, Bucket>();

  /**
   * Takes one call from `client`'s bucket and the snippet's, or neither. The client's limit is
   * checked first, so a client over its own limit does not use up everyone else's. With `lease`,
   * an admitted call also takes up to `MAX_LEASE` further calls from both buckets for the caller.
   */
  admit(client: string, limits: RateLimits, now: number, lease = false): Admission {
    const clientTokens = level(this.clients.get(client), limits.perClient, now);
    if (clientTokens < 1) return refusal("perClient", clientTokens, limits.perClient);
    const snippetTokens = level(this.snippet, limits.perSnippet, now);
    if (snippetTokens < 1) return refusal("perSnippet", snippetTokens, limits.perSnippet);
    const leased = lease ? leaseOf(Math.min(clientTokens, snippetTokens) - 1) : 0;
    this.snippet = { tokens: snippetTokens - 1 - leased, at: now };
    this.clients.delete(client);
    this.clients.set(client, { tokens: clientTokens - 1 - leased, at: now });
    this.forget(now);
    return leased > 0 ? { admitted: true, lease: leased } : { admitted: true };
  }

  /** How many clients are remembered (for tests). */
  get clientCount(): number {
    return this.clients.size;
  }

  /** Drops clients whose bucket is full again, and the oldest past `MAX_CLIENTS`. */
  private forget(now: number): void {
    for (const [client, bucket] of this.clients) {
      if (this.clients.size <= MAX_CLIENTS && now - bucket.at < BURST_MS) break;
      this.clients.delete(client);
    }
  }
}
