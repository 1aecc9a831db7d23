/**
 * A runner process (local development only): a Worker of its own, in its own `wrangler dev`,
 * that runs snippets in Worker Loader isolates for the app. Locally workerd runs every isolate
 * of a process on one thread and ignores `limits`, so a runaway snippet stalls its process; kept
 * here, it stalls only this runner, which the app abandons at the run's deadline and the
 * supervisor (`tools/dev.ts`) replaces. In production there is no runner process: the app calls
 * the same `isolateFor` in-process, under `limits.cpuMs`.
 */
import type { HandlerEnv, WireRequest } from "../../workers/runtime-protocol.ts";
import type { RunnableVersion } from "../db.ts";
import { decodeFrame, encodeFrame, streamingFrame } from "./frame.ts";
import { RUNNER_OUTCOME_HEADER, RUNNER_TOKEN_HEADER } from "./limits.ts";
import { runInProcess } from "./run.ts";

// Snippet isolates reach the network through this process's own guard (their `globalOutbound`).
export { OutboundGuard } from "../sandbox/outbound.ts";

export interface RunnerEnv extends Pick<Env, "LOADER" | "ASSETS"> {
  /** Set by the supervisor; only the app knows it. */
  RUNNER_TOKEN?: string;
}

/** What the app sends: the version to run and the request, its body as the frame's bytes. */
export interface RunCall {
  snippet: RunnableVersion;
  request: Omit<WireRequest, "body">;
  /** The snippet's variables and secrets for this run. */
  env?: HandlerEnv;
}

/**
 * Runs in progress, streamed ones until their stream ended: the health check reports them, so the
 * supervisor recycles only idle runners.
 */
let running = 0;
/** Set by the supervisor before it recycles this runner: new runs go to another runner. */
let draining = false;

const outcome = (value: string) => ({ [RUNNER_OUTCOME_HEADER]: value });

async function run(request: Request, env: RunnerEnv): Promise<Response> {
  if (draining) return new Response("draining", { status: 503, headers: outcome("draining") });
  const { meta, bytes } = decodeFrame<RunCall>(await request.arrayBuffer());
  running += 1;
  // A streamed run is running until its stream ended, not once its head went out.
  let streaming = false;
  const done = () => {
    running -= 1;
  };
  const started = performance.now();
  try {
    // `meta.env` holds the snippet's secrets: used for this run, never logged.
    const ran = await runInProcess(env, meta.snippet, { ...meta.request, body: bytes }, meta.env);
    const { body, ...head } = ran.response;
    // The logs and error travel as JSON beside the response; the app checks them before use.
    const runnerMs = performance.now() - started;
    const answer = { ...head, logs: ran.logs, error: ran.error, runnerMs, boot: ran.boot };
    if (ran.events) {
      // The events go on as the isolate makes them; the app relays and checks them (`stream-relay.ts`).
      const frame = streamingFrame(answer, ran.events, done);
      streaming = true;
      return new Response(frame, { headers: outcome("streaming") });
    }
    const frame = encodeFrame(answer, body);
    return new Response(frame, { headers: outcome("ran") });
  } catch (error) {
    // The app turns this into the same 502 as an isolate failing in its own process.
    const message = error instanceof Error ? error.message : String(error);
    return new Response(message, { status: 502, headers: outcome("isolate failed") });
  } finally {
    if (!streaming) done();
  }
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/health") return Response.json({ ok: true, running, draining });
    if (!env.RUNNER_TOKEN || request.headers.get(RUNNER_TOKEN_HEADER) !== env.RUNNER_TOKEN)
      return new Response("Forbidden", { status: 403 });
    if (pathname === "/run" && request.method === "POST") return run(request, env);
    if (pathname === "/drain" && request.method === "POST") {
      draining = true;
      return Response.json({ running });
    }
    return new Response("Not found", { status: 404 });
  },
} satisfies ExportedHandler<RunnerEnv>;
