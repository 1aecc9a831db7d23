/**
 * Hands records to their snippet's log in batches: the first call of a batch waits a moment
 * (inside its own `waitUntil`) and then sends every record gathered meanwhile in one RPC. A call
 * to a Durable Object is what recording costs (the storage write is small: a log that stored
 * nothing cost as much), so a snippet's log gets one RPC per batch, not one per call. A lone call
 * reaches the owner's live view in `BATCH_MS`; a snippet under load gets at most one batch per
 * `BUSY_SPACING_MS` (a feed of hundreds of calls a second is not read faster than that), unless
 * a batch fills first. Calls that join a batch hand over plain data only: no promise or I/O
 * object crosses from one request to another.
 */
import { BoundedCache } from "../../workers/bounded-cache.ts";
import type { NewCall } from "../../workers/call-log-types.ts";
import { CALL_LOG } from "../../workers/limits.ts";

/** How long a batch gathers calls when its snippet's last batch went out a while ago. */
export const BATCH_MS = 100;
/** Least time between two batches of one snippet that are sent as their wait ends. */
export const BUSY_SPACING_MS = 1000;
/** A batch this full is sent at once: the log keeps no more than this of one batch anyway. */
export const BATCH_MAX = CALL_LOG.keep;
/** A batch whose records come to this many characters (about) is sent at once. */
export const BATCH_MAX_CHARS = 1_000_000;

/** Called with a batch's records when it is sent; its failure is logged, never thrown. */
export type SendBatch = (calls: NewCall[]) => Promise<void>;

interface OpenBatch {
  calls: NewCall[];
  chars: number;
  /** Set once it is full: its owner sends it at its next look, within `BATCH_MS`. */
  full: boolean;
}

/** Open batches, per snippet id; each is bounded and lives at most `BUSY_SPACING_MS`. */
const open = new Map<string, OpenBatch>();
/** When each recently recorded snippet's last batch was (or is to be) sent, for the spacing. */
const lastSent = new BoundedCache<number>({
  maxEntries: 10_000,
  maxWeight: 10_000,
  ttlMs: BUSY_SPACING_MS,
});

/** About how many characters a record stores: what can be large in it (bounded by `sanitize.ts`, `redact.ts`). */
export function recordChars(call: NewCall): number {
  let chars = 200 + call.path.length + call.query.length + (call.body.text?.length ?? 0);
  for (const [name, value] of call.headers) chars += name.length + value.length;
  for (const line of call.logs) chars += line.text.length + 40;
  if (call.error) chars += call.error.type.length + call.error.message.length;
  return chars;
}

/**
 * Adds `call` to snippet `id`'s open batch, or starts one. Returns the promise to wait for when
 * this call started the batch (it owns the sending), otherwise null.
 */
export function addToBatch(id: string, call: NewCall, send: SendBatch): Promise<void> | null {
  const chars = recordChars(call);
  const now = Date.now();
  const batch = open.get(id);
  if (batch) {
    batch.calls.push(call);
    batch.chars += chars;
    if (batch.calls.length >= BATCH_MAX || batch.chars >= BATCH_MAX_CHARS) {
      batch.full = true;
      open.delete(id);
      lastSent.set(id, now, now);
    }
    return null;
  }
  const previous = lastSent.get(id, now);
  lastSent.prune(now);
  const sendAt =
    now + Math.max(BATCH_MS, previous === undefined ? 0 : previous + BUSY_SPACING_MS - now);
  // Stored as of its send time, so that it is remembered for `BUSY_SPACING_MS` after it.
  lastSent.set(id, sendAt, sendAt);
  const started: OpenBatch = { calls: [call], chars, full: false };
  open.set(id, started);
  return (async () => {
    // The owner looks every `BATCH_MS` rather than being woken: a timer or a promise of one
    // request is not another's to settle.
    for (let left = sendAt - now; left > 0 && !started.full; left = sendAt - Date.now()) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, BATCH_MS)));
    }
    if (open.get(id) === started) open.delete(id);
    await send(started.calls);
  })();
}
