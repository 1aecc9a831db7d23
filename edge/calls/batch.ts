/**
 * Hands records to their snippet's log in batches: the first call of a batch waits a moment
 * (inside its own `waitUntil`) and then sends every record gathered meanwhile in one RPC. A call
 * to a Durable Object is what recording costs (the storage write is small), so a snippet that is
 * called often pays for one RPC per `BATCH_MS`, not one per call. Calls that join a batch hand
 * over plain data only: no promise or I/O object crosses from one request to another.
 */
import type { NewCall } from "./call-log.ts";

/** How long a batch gathers calls; the owner's live view lags by at most this much. */
const BATCH_MS = 100;
/** A batch this full is closed: the next call starts a new one. */
const BATCH_MAX = 50;

/** Open batches, per snippet id; each is bounded and lives for `BATCH_MS`. */
const open = new Map<string, NewCall[]>();

/** Called with a batch's records when it is sent; its failure is logged, never thrown. */
export type SendBatch = (calls: NewCall[]) => Promise<void>;

/**
 * Adds `call` to snippet `id`'s open batch, or starts one. Returns the promise to wait for when
 * this call started the batch (it owns the sending), otherwise null.
 */
export function addToBatch(id: string, call: NewCall, send: SendBatch): Promise<void> | null {
  const batch = open.get(id);
  if (batch && batch.length < BATCH_MAX) {
    batch.push(call);
    return null;
  }
  const started = [call];
  open.set(id, started);
  return (async () => {
    await new Promise((resolve) => setTimeout(resolve, BATCH_MS));
    if (open.get(id) === started) open.delete(id);
    await send(started);
  })();
}
