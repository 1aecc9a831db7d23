/**
 * Counts the calls a snippet's rate limits refused, for its owner, in the snippet's Durable
 * Object storage. Refused calls are counted rather than recorded one by one: a burst of them would
 * push the calls that did run out of the 200-call log and flood the owner's live view. A burst is
 * also no reason to write storage on every call: counts gather in memory and are written at most
 * once per `FLUSH_MS` (a pending timer keeps the object awake until then).
 */
import type { RefusedCalls } from "../../workers/api-types.ts";
import type { LimitName } from "./buckets.ts";

const FLUSH_MS = 1000;

export class RefusedCounter {
  private pending: Record<LimitName, number> = { perClient: 0, perSnippet: 0 };
  private lastAt: string | null = null;
  private flushing: ReturnType<typeof setTimeout> | null = null;

  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  /** The table, when missing (also after the storage was wiped). */
  createTable(): void {
    this.sql.exec(`CREATE TABLE IF NOT EXISTS refused
      (lim TEXT PRIMARY KEY, count INTEGER NOT NULL, last_at TEXT NOT NULL)`);
  }

  count(limit: LimitName, now: Date): void {
    this.pending[limit] += 1;
    this.lastAt = now.toISOString();
    this.flushing ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** What was refused so far, written or not. */
  read(): RefusedCalls {
    const totals: RefusedCalls = { ...this.pending, lastAt: this.lastAt };
    for (const row of this.sql.exec<{ lim: string; count: number; last_at: string }>(
      "SELECT lim, count, last_at FROM refused",
    )) {
      if (row.lim !== "perClient" && row.lim !== "perSnippet") continue;
      totals[row.lim] += row.count;
      if (totals.lastAt === null || row.last_at > totals.lastAt) totals.lastAt = row.last_at;
    }
    return totals;
  }

  /** Forgets what is pending (the snippet was deleted with its storage). */
  reset(): void {
    if (this.flushing) clearTimeout(this.flushing);
    this.flushing = null;
    this.pending = { perClient: 0, perSnippet: 0 };
    this.lastAt = null;
  }

  private flush(): void {
    this.flushing = null;
    const at = this.lastAt ?? new Date().toISOString();
    for (const limit of ["perClient", "perSnippet"] as const) {
      const count = this.pending[limit];
      if (count === 0) continue;
      this.sql.exec(
        `INSERT INTO refused (lim, count, last_at) VALUES (?, ?, ?)
         ON CONFLICT (lim) DO UPDATE SET count = count + excluded.count, last_at = excluded.last_at`,
        limit,
        count,
        at,
      );
    }
    this.pending = { perClient: 0, perSnippet: 0 };
    this.lastAt = null;
  }
}
