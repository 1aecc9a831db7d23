/**
 * Main module of a TypeScript snippet's isolate: the browser's own harness runs the JavaScript
 * compiled at save time (module `snippet.js`, which carries the work guard's `__fnpadTick` calls).
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { handlerErrorResponse, limitResponseSize, stoppedResponse } from "../../../workers/http.ts";
import type { HandlerEnv, WireRequest } from "../../../workers/runtime-protocol.ts";
import { describeJsError, runTsHandler } from "../../../workers/typescript/harness.ts";
import {
  loopBudgetExceeded,
  resetLoopGuard,
  WorkBudgetExceeded,
} from "../../../workers/typescript/loop-guard.ts";
import { envRedactor } from "../../env-redact.ts";
import { type IsolateRun, streamedRun } from "../stream-events.ts";
import { redactRun } from "./redact-run.ts";

/** Not a literal, so that bundlers leave the import to the isolate's module registry. */
const SNIPPET_MODULE = "./snippet.js";

let userModule: Promise<unknown> | undefined;

/** Evaluates the snippet once, on first use, so that errors at its top level reach the caller. */
function loadSnippet(): Promise<unknown> {
  if (!userModule) {
    resetLoopGuard();
    userModule = import(SNIPPET_MODULE);
  }
  return userModule;
}

export default class TypeScriptIsolate extends WorkerEntrypoint {
  /**
   * Runs the snippet's handler on one request. `env` comes with each call, not with the isolate,
   * so a changed secret counts from the next call and the isolate itself holds no values. Its
   * values never leave in an error (`redact-run.ts`).
   */
  async run(request: WireRequest, env: HandlerEnv = {}): Promise<IsolateRun> {
    const started = performance.now();
    const redact = envRedactor(env);
    let module: unknown;
    try {
      module = await loadSnippet();
    } catch (thrown) {
      const durationMs = performance.now() - started;
      if (thrown instanceof WorkBudgetExceeded || loopBudgetExceeded()) {
        return { response: stoppedResponse("work budget exceeded"), logs: [], durationMs };
      }
      const error = describeJsError(thrown);
      return redactRun(
        { response: handlerErrorResponse(error), logs: [], error, durationMs },
        redact,
      );
    }
    const ran = await runTsHandler(module, request, undefined, env);
    const { stream, ...result } = redactRun(ran, redact);
    if (stream) return streamedRun(result, stream);
    return { ...result, response: limitResponseSize(result.response) };
  }
}
