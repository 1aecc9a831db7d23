/**
 * Main module of a TypeScript snippet's isolate: the browser's own `TypeScriptRuntime` runs the
 * JavaScript compiled at save time (module `snippet.js`, which carries the work guard's
 * `__fnpadTick` calls), so a handler answers here as it does in the browser.
 */

import { WorkerEntrypoint } from "cloudflare:workers";
import { AsyncLocalStorage } from "node:async_hooks";
import type { HandlerEnv, WireRequest } from "../../../workers/runtime-protocol.ts";
import type { RunLog, RunScope } from "../../../workers/typescript/run-console.ts";
import { TypeScriptRuntime } from "../../../workers/typescript/runtime.ts";
import { envRedactor } from "../../env-redact.ts";
import { type IsolateRun, streamedRun } from "../stream-events.ts";
import { checkParentKey } from "./parent-key.ts";
import { redactRun } from "./redact-run.ts";

/** Not a literal, so that bundlers leave the import to the isolate's module registry. */
const SNIPPET_MODULE = "./snippet.js";

/**
 * Calls to one version overlap here (a handler that awaits a fetch takes the next call meanwhile):
 * the run a console call belongs to is the one whose async context it executes in.
 */
const runs = new AsyncLocalStorage<RunLog>();
/** Bound now, before the snippet's module loads: a snippet that patches the class changes nothing here. */
const [runWith, storeOf] = [runs.run.bind(runs), runs.getStore.bind(runs)];
/**
 * Output from outside any call (its module's top level; a callback run outside every call's
 * context, as `AsyncLocalStorage.snapshot()` allows) goes nowhere: no call log's caps cover it.
 */
const OUTSIDE_ANY_CALL: RunLog = { write: () => true };
const scope: RunScope = { within: runWith, current: () => storeOf() ?? OUTSIDE_ANY_CALL };

/**
 * The isolate holds one snippet version: its module is the only one, compiled already, and is
 * evaluated once, on first use, so that errors at its top level reach the caller.
 */
const runtime = new TypeScriptRuntime(() => import(SNIPPET_MODULE), { scope });
/** The runtime's key for that one module (it caches modules by code; here there is no other). */
const THE_SNIPPET = "";

export default class TypeScriptIsolate extends WorkerEntrypoint {
  /**
   * Runs the snippet's handler on one request, when `key` says the call is the parent's. `env` comes with each call, not with the isolate,
   * so a changed secret counts from the next call and the isolate itself holds no values. Its
   * values never leave in an error (`redact-run.ts`).
   */
  async run(key: string, request: WireRequest, env: HandlerEnv = {}): Promise<IsolateRun> {
    checkParentKey(key);
    const ran = await runtime.start(THE_SNIPPET, request, undefined, env);
    const { stream, ...result } = redactRun(ran, envRedactor(env));
    return stream ? streamedRun(result, stream) : result;
  }
}
