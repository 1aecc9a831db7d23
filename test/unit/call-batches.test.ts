/**
 * How calls are batched for their snippet's log (`edge/calls/batch.ts`): a lone call goes out at
 * once, a busy snippet's calls at most once a second, a full batch without waiting.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  addToBatch,
  BATCH_MAX,
  BATCH_MAX_CHARS,
  BATCH_MS,
  BUSY_SPACING_MS,
} from "../../edge/calls/batch.ts";
import type { NewCall } from "../../workers/call-log-types.ts";
import { fakeCall } from "../e2e/calls-page.ts";

let snippet = 0;
/** Each test records for a snippet of its own: the spacing is remembered per snippet. */
let id = "";
let sent: { at: number; paths: string[] }[] = [];
const send = async (calls: NewCall[]) => {
  sent.push({ at: Date.now(), paths: calls.map((call) => call.path) });
};
const call = (n: number): NewCall => {
  const { seq: _seq, ...record } = fakeCall(n);
  return record;
};

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  snippet += 1;
  id = `snippet${snippet}`;
  sent = [];
});
afterEach(() => vi.useRealTimers());

describe("call batches", () => {
  test("a lone call is sent after BATCH_MS, with the calls that joined it", async () => {
    const owner = addToBatch(id, call(1), send);
    expect(owner).not.toBeNull();
    await vi.advanceTimersByTimeAsync(BATCH_MS / 2);
    expect(addToBatch(id, call(2), send)).toBeNull();
    await vi.advanceTimersByTimeAsync(BATCH_MS / 2);
    await owner;
    expect(sent).toEqual([{ at: 1_000_000 + BATCH_MS, paths: ["/played/1", "/played/2"] }]);
  });

  test("a busy snippet gets one batch per BUSY_SPACING_MS, not one per BATCH_MS", async () => {
    // Twenty calls 60 ms apart: every 100 ms window has one, so unspaced batches would be ~12.
    for (let n = 0; n < 20; n += 1) {
      addToBatch(id, call(n), send);
      await vi.advanceTimersByTimeAsync(60);
    }
    await vi.advanceTimersByTimeAsync(BUSY_SPACING_MS);
    expect(sent.flatMap((batch) => batch.paths)).toHaveLength(20);
    expect(sent.length).toBeLessThanOrEqual(3);
    const gaps = sent.slice(1).map((batch, n) => batch.at - (sent[n]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(BUSY_SPACING_MS - BATCH_MS);
  });

  test("after a quiet spell a call goes out at BATCH_MS again", async () => {
    addToBatch(id, call(1), send);
    await vi.advanceTimersByTimeAsync(BATCH_MS + BUSY_SPACING_MS);
    const second = addToBatch(id, call(2), send);
    await vi.advanceTimersByTimeAsync(BATCH_MS);
    await second;
    expect(sent.map((batch) => batch.at - 1_000_000)).toEqual([
      BATCH_MS,
      BATCH_MS + BUSY_SPACING_MS + BATCH_MS,
    ]);
  });

  /** A lone call sent, then a busy spell whose batch would wait for the spacing. */
  async function busySpell(): Promise<void> {
    addToBatch(id, call(0), send);
    await vi.advanceTimersByTimeAsync(BATCH_MS + 10);
    expect(sent).toHaveLength(1);
  }

  test(`a batch of ${BATCH_MAX} calls goes out within BATCH_MS, not after the spacing`, async () => {
    await busySpell();
    for (let n = 1; n <= BATCH_MAX; n += 1) addToBatch(id, call(n), send);
    await vi.advanceTimersByTimeAsync(BATCH_MS);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.paths).toHaveLength(BATCH_MAX);
    expect(sent[1]?.at).toBeLessThanOrEqual(1_000_000 + 2 * BATCH_MS + 10);
  });

  test("a batch whose records are large goes out within BATCH_MS", async () => {
    await busySpell();
    // Twenty log lines of 1,000 characters: a record of ~21,000 characters.
    const line = { stream: "stdout" as const, text: "x".repeat(1000), at: 0 };
    const big = { ...call(1), logs: Array.from({ length: 20 }, () => line) };
    const count = Math.ceil(BATCH_MAX_CHARS / 20_000);
    for (let n = 0; n < count; n += 1) addToBatch(id, { ...big, path: `/${n}` }, send);
    await vi.advanceTimersByTimeAsync(BATCH_MS);
    expect(count).toBeLessThan(BATCH_MAX);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.at).toBeLessThanOrEqual(1_000_000 + 2 * BATCH_MS + 10);
  });
});
