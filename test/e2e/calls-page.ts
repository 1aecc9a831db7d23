/** Helpers of `calls.test.ts`: a responsiveness probe in the page, and calls made as curl would. */
import type { Page } from "playwright-core";
import type { CallRecord } from "../../workers/call-log-types.ts";

type ProbeWindow = { callsProbe?: { longest: number; maxGap: number; stop(): void } };

/**
 * Starts measuring, in the page, the longest main-thread task (PerformanceObserver `longtask`,
 * the page's own work) and the longest gap between animation frames (which also counts the
 * machine being busy with other processes).
 */
export async function startProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    let on = true;
    let last = performance.now();
    const probe = {
      longest: 0,
      maxGap: 0,
      stop: () => {
        on = false;
        observer.disconnect();
      },
    };
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        probe.longest = Math.max(probe.longest, entry.duration);
    });
    observer.observe({ type: "longtask" });
    const tick = (now: number) => {
      probe.maxGap = Math.max(probe.maxGap, now - last);
      last = now;
      if (on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    (window as ProbeWindow).callsProbe = probe;
  });
}

/** Stops the probe; its longest task and frame gap in milliseconds. */
export async function stopProbe(page: Page): Promise<{ longest: number; maxGap: number }> {
  return page.evaluate(() => {
    const probe = (window as ProbeWindow).callsProbe;
    probe?.stop();
    return { longest: probe?.longest ?? 0, maxGap: probe?.maxGap ?? 0 };
  });
}

/** Calls `url` `total` times at `perSecond`, spread over `callers` connections; the achieved rate. */
export async function pacedCalls(url: string, total: number, perSecond: number, callers = 16) {
  const started = performance.now();
  const interval = 1000 / perSecond;
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      for (let n = caller; n < total; n += callers) {
        const due = started + n * interval;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
        await (await fetch(url)).arrayBuffer();
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/** A made-up call record, `seq` its place: what a played feed sends. */
export function fakeCall(seq: number): CallRecord {
  return {
    seq,
    at: new Date().toISOString(),
    version: 1,
    method: "GET",
    path: `/played/${seq}`,
    query: "",
    headers: [["accept", "*/*"]],
    body: { bytes: 0 },
    status: 200,
    contentType: "text/plain;charset=UTF-8",
    responseBytes: 2,
    errorSource: null,
    durationMs: 3,
    logs: [{ stream: "stdout", text: `played ${seq}`, at: 0 }],
    logsDropped: 0,
    error: null,
  };
}
