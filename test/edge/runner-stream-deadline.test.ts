/**
 * A streamed run cut at its deadline (`npm run dev`'s runners, `edge/runner/run.ts`) while its
 * feed was still sending: its version is quarantined when the runner then does not answer its
 * health check (the handler sent, then spun), and not when it does (a feed that was only slow).
 * The runner is a stand-in behind a stubbed `fetch`.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { streamingFrame } from "../../edge/runner/frame.ts";
import { RUN_DEADLINE_MS, RUNNER_OUTCOME_HEADER } from "../../edge/runner/limits.ts";
import { forgetOffences, quarantined } from "../../edge/runner/quarantine.ts";
import { runSnippet } from "../../edge/runner/run.ts";
import type { RunnableVersion } from "../../edge/snippet-cache.ts";
import type { WireRequest } from "../../workers/runtime-protocol.ts";

const request: WireRequest = {
  method: "GET",
  url: "https://fnpad.test/fn/sendsthenspins",
  path: "/",
  query: "",
  headers: [],
  body: new Uint8Array(),
};

/**
 * A runner that streams a chunk every 300 ms until the app's deadline aborts the call, and whose
 * health check, asked once the stream broke, answers or not: the handler spinning since its last
 * chunk holds the runner's one thread.
 */
function streamingRunner(afterwards: "spinning" | "idle") {
  return async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith("/health")) {
      if (afterwards === "spinning" && broke) throw new DOMException("timed out", "TimeoutError");
      return Response.json({ ok: true, running: 0, draining: false });
    }
    const signal = init?.signal ?? undefined;
    const ticks = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        if (signal?.aborted) {
          broke = true;
          controller.error(signal.reason);
        } else controller.enqueue(new TextEncoder().encode("tick\n"));
      },
    });
    const frame = streamingFrame({ status: 200, headers: [] }, ticks);
    return new Response(frame, { headers: { [RUNNER_OUTCOME_HEADER]: "streaming" } });
  };
}
let broke = false;

async function runToItsEnd(snippet: RunnableVersion, runner: string): Promise<void> {
  const run = await runSnippet({ FNPAD_RUNNERS: runner } as never, snippet, request);
  const reader = run.events?.getReader();
  if (!reader) throw new Error("the run did not stream");
  await expect(
    (async () => {
      for (;;) if ((await reader.read()).done) return;
    })(),
  ).rejects.toThrow();
}

const version = (id: string): RunnableVersion => ({
  id,
  language: "typescript",
  version: 1,
  code: "",
  compiled: "",
});

describe("a streamed run cut at its deadline while still sending", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    forgetOffences();
    broke = false;
  });

  it(
    "quarantines the version when its runner is stuck afterwards",
    async () => {
      // The attack: send a chunk now and then for 8.5 s, then spin; the stream was cut less than
      // 2 s after its last byte, so the runaway was held against nobody, every time.
      vi.stubGlobal("fetch", streamingRunner("spinning"));
      const snippet = version("sendsthenspins");
      await runToItsEnd(snippet, "http://runner-spinning");
      expect(quarantined(snippet)?.status).toBe(503);
    },
    RUN_DEADLINE_MS + 20_000,
  );

  it(
    "lets it be when its runner answers: the feed was only slow",
    async () => {
      vi.stubGlobal("fetch", streamingRunner("idle"));
      const snippet = version("slowfeed");
      await runToItsEnd(snippet, "http://runner-idle");
      expect(quarantined(snippet)).toBeNull();
    },
    RUN_DEADLINE_MS + 20_000,
  );
});
