import { afterEach, describe, expect, test, vi } from "vitest";
import { decodeFrame, encodeFrame } from "../../edge/runner/frame.ts";
import {
  pickIdleRunner,
  pickRunner,
  runnerIndex,
  stalled,
  startCall,
} from "../../edge/runner/pool.ts";

describe("the frame between the app and a runner", () => {
  test("carries its JSON head and every byte of the body as they were", () => {
    const bytes = new Uint8Array([0, 255, 13, 10, 0x7b]);
    const frame = encodeFrame({ status: 200, headers: [["x-é", "ü"]] }, bytes);
    const { meta, bytes: back } = decodeFrame<unknown>(frame.buffer);
    expect(meta).toEqual({ status: 200, headers: [["x-é", "ü"]] });
    expect([...back]).toEqual([...bytes]);
  });

  test("refuses a truncated frame", () => {
    const frame = encodeFrame({ a: 1 }, new Uint8Array());
    expect(() => decodeFrame(frame.buffer.slice(0, 6))).toThrow(/past the end/);
  });
});

describe("which runner a snippet goes to", () => {
  afterEach(() => vi.unstubAllGlobals());

  test("snippets are spread over the runners by id, the same way every time", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `snippet${i}`);
    const counts = [0, 0];
    for (const id of ids) counts[runnerIndex(id, 2)] = (counts[runnerIndex(id, 2)] ?? 0) + 1;
    expect(Math.min(...counts)).toBeGreaterThan(60);
    expect(ids.map((id) => runnerIndex(id, 2))).toEqual(ids.map((id) => runnerIndex(id, 2)));
  });

  test("a runner whose call failed is passed over while its health check does not answer", async () => {
    const urls = ["http://runner-a", "http://runner-b"];
    const id = Array.from({ length: 50 }, (_, i) => `s${i}`).find((s) => runnerIndex(s, 2) === 0);
    if (!id) throw new Error("no id on runner a");
    vi.stubGlobal("fetch", async () => Response.json({ ok: true, running: 0, draining: false }));
    expect(await pickRunner(urls, id)).toBe("http://runner-a");

    // Health answers as each runner would: a stuck one not at all, a recycled one "draining".
    let runnerA: "stuck" | "draining" | "back" = "stuck";
    const health = vi.fn(async (url: string) => {
      if (url.startsWith("http://runner-a") && runnerA === "stuck")
        throw new DOMException("timed out", "TimeoutError");
      const draining = url.startsWith("http://runner-a") && runnerA === "draining";
      return Response.json({ ok: true, running: 0, draining });
    });
    vi.stubGlobal("fetch", health);
    startCall("http://runner-a").end("failed");
    expect(await pickRunner(urls, id)).toBe("http://runner-b");
    expect(health).toHaveBeenCalledWith("http://runner-a/health", expect.anything());

    // Being recycled: it answers, but says it is draining (checked again once the answer is stale).
    runnerA = "draining";
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await pickRunner(urls, id)).toBe("http://runner-b");

    // Replaced: it answers its health check again.
    runnerA = "back";
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await pickRunner(urls, id)).toBe("http://runner-a");
  });
});

describe("calls to one runner", () => {
  test("are shared when they overlap, and a call alone on its runner is not", () => {
    const url = "http://runner-overlap";
    const alone = startCall(url);
    alone.end("answered");
    expect(alone.shared()).toBe(false);

    const first = startCall(url);
    expect(first.shared()).toBe(false);
    const second = startCall(url);
    expect(first.shared()).toBe(true);
    expect(second.shared()).toBe(true);
    first.end("failed");
    second.end("failed");
    const after = startCall(url);
    expect(after.shared()).toBe(false);
    after.end("answered");
  });

  test("a call that only waits does not make its runner look stuck once the runner answers its health check", async () => {
    // The attack: call a handler that awaits a timer, then send a runaway a second later. Judged
    // by the waiting call alone the runner looked stuck, and the runaway was held against nobody.
    const url = "http://runner-waiting";
    vi.stubGlobal("fetch", async () => Response.json({ ok: true, running: 1, draining: false }));
    const waiting = startCall(url);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(stalled(url)).toBe(true);
    expect(await pickRunner([url], "any")).toBe(url); // checks its health: it answers
    expect(stalled(url)).toBe(false);
    waiting.end("answered");
    vi.unstubAllGlobals();
  });
});

describe("a suspect's run", () => {
  afterEach(() => vi.unstubAllGlobals());

  test("waits for a runner with nothing in flight, and has it to itself while it runs", async () => {
    vi.stubGlobal("fetch", async () => Response.json({ ok: true, running: 0, draining: false }));
    const urls = ["http://idle-a", "http://idle-b"];
    const id = Array.from({ length: 50 }, (_, i) => `p${i}`).find((s) => runnerIndex(s, 2) === 0);
    if (!id) throw new Error("no id on runner a");
    // Both runners busy: none comes free within the wait.
    const busyA = startCall("http://idle-a");
    const busyB = startCall("http://idle-b");
    expect(await pickIdleRunner(urls, id, 120)).toBeNull();
    // Runner b comes free while it waits: the suspect gets it, not its own busy one.
    setTimeout(() => busyB.end("answered"), 60);
    expect(await pickIdleRunner(urls, id, 1_000)).toBe("http://idle-b");
    const probation = startCall("http://idle-b", true);
    // Meanwhile another snippet of runner b's share goes to runner a instead, even though it is busy.
    const otherId = Array.from({ length: 50 }, (_, i) => `q${i}`).find(
      (s) => runnerIndex(s, 2) === 1,
    );
    if (!otherId) throw new Error("no id on runner b");
    expect(await pickRunner(urls, otherId)).toBe("http://idle-a");
    expect(probation.shared()).toBe(false);
    probation.end("answered");
    expect(await pickRunner(urls, otherId)).toBe("http://idle-b");
    busyA.end("answered");
  });
});
