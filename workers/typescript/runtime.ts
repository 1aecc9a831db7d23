/**
 * Runs TypeScript handlers: compile once per code string, import the module through an injected
 * importer (a Blob URL in the browser, a data: URL in Node), then call it through the harness.
 */
import { handlerErrorResponse, limitResponseSize, stoppedResponse } from "../http.ts";
import type {
  HandlerEnv,
  LanguageRuntime,
  LogSink,
  RunResult,
  StreamSink,
  WireRequest,
} from "../runtime-protocol.ts";
import { collectStream } from "../stream.ts";
import { CompileError, compileTypeScript } from "./compile.ts";
import { describeJsError, runTsHandler } from "./harness.ts";
import {
  DEFAULT_MAX_TICKS,
  installLoopGuard,
  loopBudgetExceeded,
  resetLoopGuard,
  WorkBudgetExceeded,
} from "./loop-guard.ts";
import type { RunTimers } from "./run-timers.ts";

/** Imports compiled JavaScript as an ES module and returns its namespace. */
export type ModuleImporter = (js: string) => Promise<unknown>;

/** How many compiled modules stay cached; each is one snippet's code, most often the last one. */
const CACHED_MODULES = 8;

export interface TypeScriptRuntimeOptions {
  /** Ticks (loop iterations and function calls) a run may make before it is stopped. */
  maxTicks?: number;
  /** The scope's timers, cancelled at the end of each run as at the edge (the Web Worker's). */
  timers?: RunTimers;
}

export class TypeScriptRuntime implements LanguageRuntime {
  readonly #importModule: ModuleImporter;
  readonly #modules = new Map<string, Promise<unknown>>();
  readonly #timers: RunTimers | undefined;

  constructor(importModule: ModuleImporter, options: TypeScriptRuntimeOptions = {}) {
    this.#importModule = importModule;
    this.#timers = options.timers;
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
      return await this.#run(code, request, onLog, env, onStream);
    } finally {
      this.#timers?.endRun();
    }
  }

  async #run(
    code: string,
    request: WireRequest,
    onLog: LogSink | undefined,
    env: HandlerEnv,
    onStream: StreamSink | undefined,
  ): Promise<RunResult> {
    const started = performance.now();
    let userModule: unknown;
    try {
      userModule = await this.#moduleFor(code);
    } catch (thrown) {
      const durationMs = performance.now() - started;
      // Node caches a failed module by URL and rethrows its error without running it again.
      if (loopBudgetExceeded() || thrown instanceof WorkBudgetExceeded) {
        return { response: stoppedResponse("work budget exceeded"), logs: [], durationMs };
      }
      const error =
        thrown instanceof CompileError
          ? { type: thrown.name, message: thrown.message, traceback: "", line: thrown.line }
          : describeJsError(thrown);
      return { response: handlerErrorResponse(error), logs: [], error, durationMs };
    }
    const { stream, ...result } = await runTsHandler(userModule, request, onLog, env);
    if (!stream) return { ...result, response: limitResponseSize(result.response) };
    const collected = await collectStream(result.response, stream, onStream);
    return { ...result, ...collected, streamed: true, durationMs: performance.now() - started };
  }

  /** The evaluated module for `code`; a failed compile or import is not cached. */
  #moduleFor(code: string): Promise<unknown> {
    const cached = this.#modules.get(code);
    if (cached) {
      // Re-insert so that the map's order is least recently used first.
      this.#modules.delete(code);
      this.#modules.set(code, cached);
      return cached;
    }
    resetLoopGuard();
    const loading = Promise.resolve().then(() => this.#importModule(compileTypeScript(code)));
    loading.catch(() => this.#modules.delete(code));
    this.#modules.set(code, loading);
    for (const oldest of this.#modules.keys()) {
      if (this.#modules.size <= CACHED_MODULES) break;
      this.#modules.delete(oldest);
    }
    return loading;
  }
}
