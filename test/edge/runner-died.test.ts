/**
 * A version whose runner process died under it (`npm run dev`'s runners, `edge/runner/run.ts`) is
 * quarantined, however soon the runner died: a runner that had just answered and then died at
 * once was taken down by what it ran. Only a runner not known to be up when the call went out (a
 * restart, say) is excused a quick failure. The runners are stand-ins behind a stubbed `fetch`.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { forgetOffences, quarantined } from "../../edge/runner/quarantine.ts";
import { runSnippet } from "../../edge/runner/run.ts";
import type { RunnableVersion } from "../../edge/snippet-cache.ts";
import type { WireRequest } from "../../workers/runtime-protocol.ts";

const snippet: RunnableVersion = {
  id: "crashesitsrunner",
  language: "typescript",
  version: 1,
  code: "",
  compiled: "",
};
const request: WireRequest = {
  method: "GET",
  url: "https://fnpad.test/fn/crashesitsrunner",
  path: "/",
  query: "",
  headers: [],
  body: new Uint8Array(),
};

/** A runner whose health check answers (or not), and whose run dies 200 ms in. */
function runnerThatDies(health: "answers" | "silent") {
  return async (input: string | URL | Request) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith("/health")) {
      if (health === "silent") throw new DOMException("timed out", "TimeoutError");
      return Response.json({ ok: true, running: 0, draining: false });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    throw new TypeError("Network connection lost.");
  };
}

describe("a runner that dies under a run", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    forgetOffences();
  });

  it("quarantines the version when the runner was up when the call went out, however soon it died", async () => {
    // The attack: a handler that allocates its runner's workerd to death within a second went
    // unpunished, and a flood of it kept crashing every runner.
    vi.stubGlobal("fetch", runnerThatDies("answers"));
    const run = await runSnippet({ FNPAD_RUNNERS: "http://runner-up" } as never, snippet, request);
    expect(run.response.status).toBe(503);
    expect(quarantined(snippet)?.status).toBe(503);
  });

  it("excuses a quick failure of a runner not known to be up (every runner down: restarting)", async () => {
    vi.stubGlobal("fetch", runnerThatDies("silent"));
    const run = await runSnippet(
      { FNPAD_RUNNERS: "http://runner-down" } as never,
      snippet,
      request,
    );
    expect(run.response.status).toBe(503);
    expect(quarantined(snippet)).toBeNull();
  });
});
