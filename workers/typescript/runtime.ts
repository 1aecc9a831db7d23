/**
 * Runs TypeScript handlers: the handler module for a code string is evaluated once through an
 * injected loader (compile, then a Blob URL in the browser or a data: URL in Node; at the edge, the
 * module compiled at save time), then called through the harness. The browser, Node and the
 * edge's isolate all run handlers through this class.
 */
import { BoundedCache } from "../bounded-cache.ts";
import { handlerErrorResponse, limitResponseSize, stoppedResponse } from "../http.ts";
import type {
  HandlerEnv,
  LanguageRuntime,
  LogSink,
  RunResult,
  StreamSink,
  WireRequest,
} from "../runtime-protocol.ts";
import { collectStream, endingWhenDone, type StreamingRun } from "../stream.ts";
import { CompileError } from "./compile-error.ts";
import { describeJsError, runTsHandler } from "./harness.ts";
import {
  DEFAULT_MAX_TICKS,
  installLoopGuard,
  loopBudgetExceeded,
  runStarted,
  WorkBudgetExceeded,
} from "./loop-guard.ts";
import { lastStartedRun, type RunScope, routeConsole } from "./run-console.ts";
import type { RunTimers } from "./run-timers.ts";

/**
 * Evaluates the handler module for `code` and returns its namespace; throws `CompileError` for
 * code that does not compile (`compiledWith` in `importers.ts` makes one).
 */
export type ModuleLoader = (code: string) => Promise<unknown>;

/** How many evaluated modules stay cached; each is one snippet's code, most often the last one. */
const CACHED_MODULES = 8;

export interface TypeScriptRuntimeOptions {
  /** Ticks (loop iterations and function calls) a run may make before it is stopped. */
  maxTicks?: number;
  /** The scope's timers, cancelled at the end of each run as at the edge (the Web Worker's). */
  timers?: RunTimers;
  /** Which run console output belongs to: by default the one started last (one run at a time). */
  scope?: RunScope;
}

export class TypeScriptRuntime implements LanguageRuntime {
  readonly #loadModule: ModuleLoader;
  readonly #modules = new BoundedCache<Promise<unknown>>({
    maxEntries: CACHED_MODULES,
    maxWeight: Number.POSITIVE_INFINITY,
  });
  readonly #timers: RunTimers | undefined;
  readonly #scope: RunScope;

  constructor(loadModule: ModuleLoader, options: TypeScriptRuntimeOptions = {}) {
    this.#loadModule = loadModule;
    this.#timers = options.timers;
    this.#scope = options.scope ?? lastStartedRun;
    routeConsole(this.#scope);
    installLoopGuard(options.maxTicks ?? DEFAULT_MAX_TICKS);
  }

  /** Nothing to download: the transpiler is bundled with this module. */
  async load(): Promise<void> {}

  async run(
    code: string,
    request: WireRequest,
    onLog?: LogSink,
    env: HandlerEnv = {},
    onStream?: StreamSink,
  ): Promise<RunResult> {
    try {
      const started = performance.now();
      const { stream, ...result } = await this.start(code, request, onLog, env);
      if (!stream) return result;
      const collected = await collectStream(result.response, stream, onStream);
      return { ...result, ...collected, streamed: true, durationMs: performance.now() - started };
    } finally {
      this.#timers?.endRun();
    }
  }

  /**
   * Runs the handler up to its response; a streamed body is then still to be read, step by step,
   * from the result's `stream` (the edge sends it on as it comes; `run` collects it). A body
   * that is not streamed is already capped (`limitResponseSize`).
   */
  async start(
    code: string,
    request: WireRequest,
    onLog?: LogSink,
    env: HandlerEnv = {},
  ): Promise<StreamingRun> {
    // Compiled code runs only while a run (and its stream) is going: see `runStarted`.
    const ended = runStarted();
    let ran: StreamingRun;
    try {
      ran = await this.#start(code, request, onLog, env);
    } catch (thrown) {
      ended();
      throw thrown;
    }
    return endingWhenDone(ran, ended);
  }

  async #start(
    code: string,
    request: WireRequest,
    onLog: LogSink | undefined,
    env: HandlerEnv,
  ): Promise<StreamingRun> {
    const started = performance.now();
    let userModule: unknown;
    try {
      userModule = await this.#moduleFor(code);
    } catch (thrown) {
      const durationMs = performance.now() - started;
      if (loopBudgetExceeded() || thrown instanceof WorkBudgetExceeded) {
        return { response: stoppedResponse("work budget exceeded"), logs: [], durationMs };
      }
      const error =
        thrown instanceof CompileError
          ? { type: thrown.name, message: thrown.message, traceback: "", line: thrown.line }
          : describeJsError(thrown);
      return { response: handlerErrorResponse(error), logs: [], error, durationMs };
    }
    const ran = await runTsHandler(userModule, request, this.#scope, onLog, env);
    return ran.stream ? ran : { ...ran, response: limitResponseSize(ran.response) };
  }

  /**
   * The evaluated module for `code`. A failed compile or import is not cached, except one stopped
   * by the work budget, which stays stopped: a module registry (Node's, workerd's) keeps a failed
   * module and rethrows its error without running it again, whatever its top level threw after
   * catching the budget's error.
   */
  #moduleFor(code: string): Promise<unknown> {
    const cached = this.#modules.get(code);
    if (cached) return cached;
    const loading = Promise.resolve()
      .then(() => this.#loadModule(code))
      .catch((error: unknown) => {
        if (loopBudgetExceeded() || error instanceof WorkBudgetExceeded)
          throw new WorkBudgetExceeded("work budget exceeded while the module loaded");
        this.#modules.delete(code);
        throw error;
      });
    this.#modules.set(code, loading);
    return loading;
  }
}
