/**
 * Where a snippet runs. In production, and in the edge tests (one workerd), in this process's
 * own Worker Loader, under `limits.cpuMs`. Under `npm run dev` the supervisor names runner
 * processes (`FNPAD_RUNNERS`): the run goes to one of them, raced against a wall-clock deadline
 * that this process can keep because its thread is not the one running the snippet.
 */
import { platformErrorResponse, retryLaterResponse, stoppedResponse } from "../../workers/http.ts";
import type { HandlerEnv, WireRequest, WireResponse } from "../../workers/runtime-protocol.ts";
import type { RunnableVersion } from "../db.ts";
import { isolateFor } from "../sandbox/loader.ts";
import type { BootTimeline } from "../sandbox/pyodide-files.ts";
import type { IsolateRun } from "../sandbox/stream-events.ts";
import { decodeFrame, encodeFrame, readStreamingFrame } from "./frame.ts";
import { RUN_DEADLINE_MS, RUNNER_OUTCOME_HEADER, RUNNER_TOKEN_HEADER } from "./limits.ts";
import {
  answering,
  answersHealth,
  pickIdleRunner,
  pickRunner,
  stalled,
  startCall,
} from "./pool.ts";
import { acquit, type OffenceKind, onProbation, quarantine, quarantined } from "./quarantine.ts";

/**
 * A streamed run that breaks at the deadline or with its runner is held against its version when
 * nothing came from it for this long before. A feed still sending may have been slow, not stuck:
 * then its runner's health check decides (a runaway can send for 8.5 s and then spin, and is
 * still spinning when its stream is cut).
 */
const STREAM_SILENCE_MS = 2_000;
/**
 * A runner not known to be up when the call went out (every runner was down, so it went to its own)
 * and that failed sooner than this was not running it (restarting, say): only a failure later than
 * this is held against the version. A runner that had just answered and died at once was taken down
 * by what it ran: a handler that allocates its runner's workerd to death within a second is not let
 * off, or a flood of it would crash every runner, over and over.
 */
const DIED_RUNNING_MS = 1_000;
/** How long a suspect's run waits for a runner with nothing else in flight before it is refused. */
const PROBATION_WAIT_MS = 3_000;

export interface RunEnv extends Pick<Env, "LOADER" | "ASSETS"> {
  /** Comma-separated origins of the runner processes (set by `tools/dev.ts` only). */
  FNPAD_RUNNERS?: string;
  RUNNER_TOKEN?: string;
}

/**
 * What a run gives back: the response, and the handler's logs and error for the call log. All of
 * it comes from code the snippet can patch, so the caller checks it before trusting its shape.
 */
export interface SnippetRun {
  response: WireResponse;
  logs?: unknown;
  error?: unknown;
  /**
   * Set when the handler streams: its body as the isolate's framed events (`stream-events.ts`),
   * still to be read; `response.body` is then empty. The caller relays it (`stream-relay.ts`).
   */
  events?: ReadableStream<Uint8Array>;
  /** In a runner process: how long the run took there, as it says (for `Server-Timing` only). */
  runnerMs?: unknown;
  /** When the run booted Python: where the time went, in ms (for `Server-Timing` only). */
  boot?: unknown;
}

/** A boot's steps as durations: isolate made, boot files ready, snapshot taken, Python up and the handler run. */
function bootPhases(timeline: BootTimeline, started: number, ended: number) {
  const { askedAt, filesAt, snapshotAt } = timeline;
  if (askedAt === undefined || filesAt === undefined) return undefined;
  const restored = snapshotAt ?? filesAt;
  return {
    isolate: askedAt - started,
    files: filesAt - askedAt,
    snapshot: restored - filesAt,
    python: ended - restored,
  };
}

/** Runs `request` through the snippet's isolate in this process. */
export async function runInProcess(
  env: Pick<Env, "LOADER" | "ASSETS">,
  snippet: RunnableVersion,
  request: WireRequest,
  handlerEnv: HandlerEnv = {},
): Promise<SnippetRun> {
  const started = performance.now();
  const timeline: BootTimeline = {};
  const isolate = await isolateFor(env, snippet, timeline);
  // The snippet's variables and secrets go with each call, never into the isolate's own env.
  // RPC typing widens the header tuples to string[][]; the values are the isolate's WireResponse.
  const { response, logs, error, events } = (await isolate.run(request, handlerEnv)) as IsolateRun;
  const boot = bootPhases(timeline, started, performance.now());
  // Anything but a stream of the parent's own kind is not relayed (the relay reads it in this realm).
  if (events instanceof ReadableStream) return { response, logs, error, boot, events };
  return { response, logs, error, boot };
}

/** Runs `request` in a runner process, or in this one when there are none. Throws when the isolate fails. */
export async function runSnippet(
  env: RunEnv,
  snippet: RunnableVersion,
  request: WireRequest,
  handlerEnv: HandlerEnv = {},
): Promise<SnippetRun> {
  const runners = env.FNPAD_RUNNERS?.split(",").filter(Boolean) ?? [];
  if (runners.length === 0) return runInProcess(env, snippet, request, handlerEnv);
  // A version that took a runner down is refused for a while, before it can do it again.
  const refused = quarantined(snippet);
  if (refused) return { response: refused };
  if (onProbation(snippet)) return runOnProbation(env, runners, snippet, request, handlerEnv);
  // A draining runner (about to be recycled) refuses before running anything: try the next.
  const tried = new Set<string>();
  for (;;) {
    const runner = await pickRunner(runners, snippet.id, tried);
    const answer = await runInRunner(runner, env.RUNNER_TOKEN ?? "", snippet, request, handlerEnv);
    if (answer !== "draining" || tried.size + 1 >= runners.length) {
      if (answer === "draining") {
        return { response: platformErrorResponse(503, "Every runner is restarting") };
      }
      return answer;
    }
    tried.add(runner);
  }
}

/**
 * Runs a suspect's call (its last run failed beside others, `quarantine.ts`) on a runner it has to
 * itself, so that this run's fate is its own: it is acquitted if it answers, quarantined if not.
 */
async function runOnProbation(
  env: RunEnv,
  runners: readonly string[],
  snippet: RunnableVersion,
  request: WireRequest,
  handlerEnv: HandlerEnv,
): Promise<SnippetRun> {
  for (let tries = 0; tries < runners.length; tries += 1) {
    const runner = await pickIdleRunner(runners, snippet.id, PROBATION_WAIT_MS);
    if (!runner) break;
    const token = env.RUNNER_TOKEN ?? "";
    const answer = await runInRunner(runner, token, snippet, request, handlerEnv, true);
    if (answer !== "draining") return answer;
  }
  const response = retryLaterResponse(
    "This version's last run failed beside a runaway; its next run waits for a runner of its own, " +
      "and every runner is busy. Try again in a moment.",
    1,
  );
  return { response };
}

async function runInRunner(
  runner: string,
  token: string,
  snippet: RunnableVersion,
  request: WireRequest,
  handlerEnv: HandlerEnv,
  exclusive = false,
): Promise<SnippetRun | "draining"> {
  const { body, ...head } = request;
  // A run sent to a runner already stuck shares whatever holds it up: that says nothing of its
  // own code. Otherwise a run that passes the deadline, or whose runner dies under it, gets its
  // version quarantined (`./quarantine.ts`); only suspected, when other runs shared the runner
  // meanwhile (any of them may be the one spinning).
  const accountable = !stalled(runner);
  const upWhenSent = answering(runner);
  const sentAt = Date.now();
  const call = startCall(runner, exclusive);
  const done = (how: "answered" | "failed") => {
    // A run that had its runner to itself and answered clears its version of any suspicion.
    if (how === "answered" && !call.shared()) acquit(snippet);
    call.end(how);
  };
  const offend = (kind: OffenceKind) => {
    if (!accountable) return;
    if (kind === "runner died" && !upWhenSent && Date.now() - sentAt < DIED_RUNNING_MS) return;
    const shared = call.shared();
    const cooldownMs = quarantine(snippet, kind, Date.now(), shared);
    const what =
      cooldownMs > 0 ? `refused for ${cooldownMs / 1000} s` : "suspected (shared runner)";
    console.warn(`${snippet.id}@${snippet.version}: ${kind}; ${what}`);
  };
  let answer: Response;
  let outcome: string | null;
  let bytes: ArrayBuffer | undefined;
  try {
    // One signal for the call and its body: a handler stuck while streaming is as stuck.
    const signal = AbortSignal.timeout(RUN_DEADLINE_MS);
    answer = await fetch(`${runner}/run`, {
      method: "POST",
      headers: { [RUNNER_TOKEN_HEADER]: token, "content-type": "application/octet-stream" },
      body: encodeFrame({ snippet, request: head, env: handlerEnv }, body),
      signal,
    });
    outcome = answer.headers.get(RUNNER_OUTCOME_HEADER);
    if (answer.ok && outcome === "streaming" && answer.body) {
      // The runner counts as busy until the stream ended (the relay reads it to its end, or cuts it).
      let heardAt = Date.now();
      const ended = async (how: "answered" | "failed" | "cancelled") => {
        done(how === "answered" ? "answered" : "failed");
        // Broken by the deadline or the runner's death (not cut by the app or its client).
        if (how !== "failed") return;
        const kind = signal.aborted ? "deadline" : "runner died";
        if (Date.now() - heardAt >= STREAM_SILENCE_MS || !(await answersHealth(runner))) {
          offend(kind);
        }
      };
      const { meta, rest } = await readStreamingFrame<RunnerMeta>(answer.body, ended, () => {
        heardAt = Date.now();
      });
      const { logs, error, runnerMs, boot, ...response } = meta;
      const streamed = { response: { ...response, body: new Uint8Array() }, logs, error };
      return { ...streamed, runnerMs, boot, events: rest };
    }
    bytes = await answer.arrayBuffer();
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    done("failed");
    offend(timedOut ? "deadline" : "runner died");
    if (timedOut) {
      return {
        response: stoppedResponse(`the run passed its ${RUN_DEADLINE_MS / 1000} s deadline`),
      };
    }
    console.error(`runner ${runner} failed:`, error);
    return { response: RUNNER_STOPPED };
  }
  if (answer.ok && outcome === "ran") {
    done("answered");
    const { meta, bytes: responseBody } = decodeFrame<RunnerMeta>(bytes);
    const { logs, error, runnerMs, boot, ...head } = meta;
    return { response: { ...head, body: responseBody }, logs, error, runnerMs, boot };
  }
  done(outcome === "isolate failed" ? "answered" : "failed");
  if (outcome === "draining") return "draining";
  if (outcome === "isolate failed") throw new Error(new TextDecoder().decode(bytes));
  // Not the runner's own answer: its workerd broke underneath wrangler (out of memory, say).
  console.error(`runner ${runner} answered ${answer.status}:`, new TextDecoder().decode(bytes));
  offend("runner died");
  return { response: RUNNER_STOPPED };
}

/** What a runner says beside a response's bytes: its status and headers, the logs and error. */
type RunnerMeta = Omit<WireResponse, "body"> & Omit<SnippetRun, "response" | "events">;

/** The runner's process died or broke mid-run; the supervisor replaces it. */
const RUNNER_STOPPED = platformErrorResponse(
  503,
  "The snippet's runner stopped; it is being restarted",
);
