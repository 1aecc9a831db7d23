/**
 * One Durable Object per snippet (named by its id) keeps the snippet's last `CALL_LOG.keep` calls
 * in its SQLite storage and pushes each new one to the owner's open pages. It is also where the
 * endpoint's rate limits are counted (`admit`, `../limits/`): the one place every call to the
 * snippet meets, wherever in the world it arrives. Sockets use the
 * hibernation API: the object is evicted between calls while pages stay connected, and nothing
 * but the sockets themselves is held in memory, so a burst of calls cannot make it grow.
 * Only authorised viewers reach it: the app checks the edit token before forwarding an upgrade.
 */
import { DurableObject } from "cloudflare:workers";
import type { RateLimits, RefusedCalls } from "../../workers/api-types.ts";
import {
  CALL_FEED_PROTOCOL,
  type CallFeedMessage,
  type CallPage,
  type CallRecord,
  type NewCall,
} from "../../workers/call-log-types.ts";
import { CALL_LOG } from "../../workers/limits.ts";
import { type Admission, EndpointBuckets } from "../limits/buckets.ts";
import { RefusedCounter } from "../limits/refused.ts";

/** More viewers than this on one snippet close the oldest: each is a copy of every message. */
const MAX_VIEWERS = 16;

export class CallLog extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly buckets = new EndpointBuckets();
  private readonly refused: RefusedCounter;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.refused = new RefusedCounter(this.sql);
    this.createTables();
  }

  /** Whether one more call from `client` is within `limits`; a refusal is counted for the owner. */
  async admit(client: string, limits: RateLimits, lease = false): Promise<Admission> {
    const now = new Date();
    const admission = this.buckets.admit(client, limits, now.getTime(), lease);
    if (!admission.admitted) this.refused.count(admission.limit, now);
    return admission;
  }

  /** The calls the rate limits refused so far. */
  async refusedCalls(): Promise<RefusedCalls> {
    return this.refused.read();
  }

  private createTables(): void {
    // AUTOINCREMENT: a seq is never reused after trimming, so cursors stay unambiguous.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS calls (seq INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS closed (at TEXT NOT NULL)`);
    this.refused.createTable();
  }

  /** Stores one call (see `recordMany`). */
  async record(call: NewCall): Promise<void> {
    await this.recordMany([call]);
  }

  /** Stores calls in the order given, drops what is past the bound, and sends them to every viewer. */
  async recordMany(calls: NewCall[]): Promise<void> {
    // A deleted snippet's log stays empty, also for calls that were running when it was deleted.
    if (this.sql.exec("SELECT 1 FROM closed LIMIT 1").toArray().length > 0) return;
    // Only the newest `keep` could stay: a larger batch does not write what it would drop.
    const stored = this.ctx.storage.transactionSync(() =>
      calls.slice(-CALL_LOG.keep).map((call) => {
        const { seq } = this.sql
          .exec<{ seq: number }>(
            "INSERT INTO calls (record) VALUES (?) RETURNING seq",
            JSON.stringify(call),
          )
          .one();
        return { seq, ...call };
      }),
    );
    const newest = stored.at(-1);
    if (!newest) return;
    this.sql.exec("DELETE FROM calls WHERE seq <= ?", newest.seq - CALL_LOG.keep);
    this.broadcast({ type: "calls", calls: stored });
  }

  /** Calls older than `before` (all when null), newest first, at most `limit`. */
  async list(before: number | null, limit: number): Promise<CallPage> {
    const size = Math.max(1, Math.min(limit, CALL_LOG.pageSize));
    const calls = this.rows(
      "SELECT seq, record FROM calls WHERE seq < ? ORDER BY seq DESC LIMIT ?",
      before ?? Number.MAX_SAFE_INTEGER,
      size + 1,
    );
    const more = calls.length > size;
    if (more) calls.pop();
    return { calls, next: more ? (calls.at(-1)?.seq ?? null) : null };
  }

  /** Forgets every call and closes every viewer's socket; later calls are not recorded. */
  async deleteAll(): Promise<void> {
    for (const socket of this.ctx.getWebSockets()) socket.close(1000, "snippet deleted");
    this.refused.reset();
    await this.ctx.storage.deleteAll();
    this.createTables();
    this.sql.exec("INSERT INTO closed VALUES (?)", new Date().toISOString());
  }

  /** A viewer's WebSocket upgrade, already authorised by the app (`routes/calls.ts`). */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket")
      return new Response("expected a WebSocket upgrade", { status: 426 });
    const viewers = this.ctx.getWebSockets();
    for (const old of viewers.slice(0, Math.max(0, viewers.length - MAX_VIEWERS + 1)))
      old.close(1013, "too many viewers");
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server);
    return new Response(null, {
      status: 101,
      webSocket: client,
      headers: { "sec-websocket-protocol": CALL_FEED_PROTOCOL },
    });
  }

  /** `{"type":"since","seq":n}`: the calls kept after `n`, so a page misses none while it connected. */
  override async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
    let seq: unknown;
    try {
      const parsed = JSON.parse(typeof message === "string" ? message : "") as unknown;
      if (
        typeof parsed === "object" &&
        parsed !== null &&
        "type" in parsed &&
        parsed.type === "since"
      )
        seq = (parsed as { seq?: unknown }).seq;
    } catch {
      // Not JSON: answered below.
    }
    if (typeof seq !== "number" || !Number.isFinite(seq)) {
      socket.close(1003, "expected {type: 'since', seq}");
      return;
    }
    const calls = this.rows(
      "SELECT seq, record FROM calls WHERE seq > ? ORDER BY seq LIMIT ?",
      seq,
      CALL_LOG.keep,
    );
    socket.send(JSON.stringify({ type: "calls", calls } satisfies CallFeedMessage));
  }

  override async webSocketClose(socket: WebSocket, code: number, reason: string): Promise<void> {
    // Completes the closing handshake the viewer started.
    socket.close(code, reason);
  }

  private rows(query: string, ...bindings: number[]): CallRecord[] {
    const cursor = this.sql.exec<{ seq: number; record: string }>(query, ...bindings);
    return cursor.toArray().map(({ seq, record }) => ({ seq, ...(JSON.parse(record) as NewCall) }));
  }

  private broadcast(message: CallFeedMessage): void {
    const text = JSON.stringify(message);
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(text);
      } catch {
        // A socket closing meanwhile; the others still get the call.
      }
    }
  }
}
