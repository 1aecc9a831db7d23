/**
 * Recording in batches: calls close together reach the log in one RPC and the owner's socket in
 * a few messages, in order; a batch larger than the log keeps only what the log would.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CallRecord } from "../../workers/call-log-types.ts";
import { CALL_LOG } from "../../workers/limits.ts";
import { createSnippet, TS_HELLO } from "./api-client.ts";
import { callsOnce, feed, listCalls, openLive, ownerProtocols } from "./calls-client.ts";
import { callEndpoint } from "./fn-client.ts";

describe("batches", () => {
  it("calls made together arrive together, each once, in order", async () => {
    const { id, token } = await createSnippet({ language: "typescript", code: TS_HELLO });
    const live = feed(await openLive(id, ownerProtocols(token)));
    const paths = Array.from({ length: 10 }, (_, n) => `/${n}`);
    await Promise.all(paths.map(async (path) => (await callEndpoint(id, path)).text()));
    const received: CallRecord[] = [];
    let messages = 0;
    while (received.length < paths.length) {
      received.push(...(await live.next()).calls);
      messages += 1;
    }
    expect(received.map((call) => call.path).sort()).toEqual(paths);
    expect(messages).toBeLessThan(paths.length);
    const seqs = received.map((call) => call.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const kept = await callsOnce(id, token, paths.length);
    expect(kept.map((call) => call.seq)).toEqual([...seqs].reverse());
    live.socket.close(1000, "done");
  });

  it("a snippet called steadily gets a batch a second, not one per call or per 100 ms", async () => {
    const { id, token } = await createSnippet({ language: "typescript", code: TS_HELLO });
    const live = feed(await openLive(id, ownerProtocols(token)));
    await (await callEndpoint(id, "/lone")).text();
    // A lone call reaches the live view on its own, at once.
    expect((await live.next()).calls.map((call) => call.path)).toEqual(["/lone"]);
    // Then sixteen calls 60 ms apart (about a second): one batch every 100 ms would be ten or more.
    const paths = Array.from({ length: 16 }, (_, n) => `/${n}`);
    for (const path of paths) {
      await (await callEndpoint(id, path)).text();
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    const received: CallRecord[] = [];
    let messages = 0;
    while (received.length < paths.length) {
      received.push(...(await live.next()).calls);
      messages += 1;
    }
    expect(received.map((call) => call.path)).toEqual(paths);
    expect(messages).toBeLessThanOrEqual(3);
    live.socket.close(1000, "done");
  });

  it(`a batch over ${CALL_LOG.keep} calls stores only the newest ${CALL_LOG.keep}`, async () => {
    const { id, token } = await createSnippet({ language: "typescript", code: TS_HELLO });
    const log = env.CALL_LOG.get(env.CALL_LOG.idFromName(id));
    const [sample] = await (async () => {
      await (await callEndpoint(id, "/first")).text();
      return callsOnce(id, token, 1);
    })();
    if (!sample) throw new Error("no sample call");
    const { seq: _seq, ...call } = sample;
    await log.recordMany(Array.from({ length: 250 }, (_, n) => ({ ...call, path: `/${n}` })));
    const first = await listCalls(id, token);
    expect(first.calls[0]?.path).toBe("/249");
    let count = first.calls.length;
    let before = first.next;
    while (before !== null) {
      const page = await listCalls(id, token, before);
      count += page.calls.length;
      before = page.next;
    }
    expect(count).toBe(CALL_LOG.keep);
  });
});
