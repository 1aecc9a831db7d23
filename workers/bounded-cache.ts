/**
 * A least-recently-used map with hard bounds: a number of entries and a total weight (bytes, as
 * the caller counts them), and optionally a time to live. Every cache of the edge and the
 * runtimes is one of these, so none of them can grow with what callers send.
 */

export interface CacheBounds<V> {
  /** At most this many entries. */
  maxEntries: number;
  /** At most this much weight in all; an entry heavier than this is never kept. */
  maxWeight: number;
  /** The weight of one value (default 1). */
  weigh?: (value: V) => number;
  /** Entries older than this are misses (default: they never expire). */
  ttlMs?: number;
}

interface Entry<V> {
  value: V;
  weight: number;
  storedAt: number;
}

export class BoundedCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #bounds: CacheBounds<V>;
  #weight = 0;

  constructor(bounds: CacheBounds<V>) {
    this.#bounds = bounds;
  }

  /** The value under `key` while it is fresh; a hit makes it the most recently used. */
  get(key: string, now = Date.now()): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    const { ttlMs } = this.#bounds;
    if (ttlMs !== undefined && now - entry.storedAt >= ttlMs) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** The value under `key` even when it has expired (a hint, never an answer). */
  peek(key: string): V | undefined {
    return this.#entries.get(key)?.value;
  }

  set(key: string, value: V, now = Date.now()): void {
    this.delete(key);
    const weight = this.#bounds.weigh?.(value) ?? 1;
    if (weight > this.#bounds.maxWeight) return;
    this.#entries.set(key, { value, weight, storedAt: now });
    this.#weight += weight;
    while (this.#entries.size > this.#bounds.maxEntries || this.#weight > this.#bounds.maxWeight) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#weight -= entry.weight;
  }

  /**
   * Deletes expired entries from the least recently used end, up to the first fresh one: cheap
   * enough to call on every write, so memory follows a burst down once it has passed.
   */
  prune(now = Date.now()): void {
    const { ttlMs } = this.#bounds;
    if (ttlMs === undefined) return;
    for (const [key, entry] of this.#entries) {
      if (now - entry.storedAt < ttlMs) break;
      this.delete(key);
    }
  }

  /** Deletes every key `matches` accepts (a walk over all entries: for rare events only). */
  deleteWhere(matches: (key: string) => boolean): void {
    for (const key of [...this.#entries.keys()]) if (matches(key)) this.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  get weight(): number {
    return this.#weight;
  }
}
