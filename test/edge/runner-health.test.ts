/**
 * A runner process (`edge/runner/index.ts`, the one `npm run dev` starts) counts a streamed run as
 * running until its stream ended, so `/health` never reports it idle mid-stream and the supervisor
 * does not recycle it under a stream still flowing. Driven here through its own `fetch`, with the
 * tests' Worker Loader.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findRunnable } from "../../edge/endpoint-lookup.ts";
import { encodeFrame } from "../../edge/runner/frame.ts";
import runner from "../../edge/runner/index.ts";
import { RUNNER_OUTCOME_HEADER, RUNNER_TOKEN_HEADER } from "../../edge/runner/limits.ts";
import { requestToWire } from "../../workers/http.ts";
import { createSnippet } from "./api-client.ts";

const TOKEN = "runner-health-test";
const runnerEnv = { ...env, RUNNER_TOKEN: TOKEN };

/** Three chunks, each made only when the reader asks for it. */
const STREAMING = `export default () => {
  let sent = 0;
  return new Response(new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      if (sent === 3) return controller.close();
      sent += 1;
      controller.enqueue(new TextEncoder().encode("tick " + sent + "\\n"));
    },
  }));
};
`;

async function running(): Promise<number> {
  const health = await runner.fetch(new Request("http://runner/health"), runnerEnv);
  return ((await health.json()) as { running: number }).running;
}

async function startStreamedRun(): Promise<Response> {
  const { id } = await createSnippet({ language: "typescript", code: STREAMING });
  const endpoint = await findRunnable(env, id, null);
  if (!endpoint) throw new Error("the snippet is not runnable");
  const { body, ...request } = await requestToWire(new Request("https://fnpad.test/"), "/");
  const frame = encodeFrame({ snippet: endpoint.snippet, request, env: {} }, body);
  const answer = await runner.fetch(
    new Request("http://runner/run", {
      method: "POST",
      headers: { [RUNNER_TOKEN_HEADER]: TOKEN },
      body: frame,
    }),
    runnerEnv,
  );
  expect(answer.headers.get(RUNNER_OUTCOME_HEADER)).toBe("streaming");
  return answer;
}

describe("a runner's health while a run streams", () => {
  it("counts the run until its stream was read to the end", async () => {
    const answer = await startStreamedRun();
    expect(await running()).toBe(1);
    const text = new TextDecoder().decode(await answer.arrayBuffer());
    expect(text).toContain("tick 3");
    expect(await running()).toBe(0);
  });

  it("and until the app cancelled it", async () => {
    const answer = await startStreamedRun();
    expect(await running()).toBe(1);
    await answer.body?.cancel("the app gave up");
    expect(await running()).toBe(0);
  });
});
