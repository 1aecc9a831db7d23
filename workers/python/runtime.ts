/**
 * Runs Python handlers on Pyodide through `adapter.py`. How Pyodide boots is injected (browser:
 * from `/pyodide/`; Node: the npm package; edge: its own loader), so this file runs anywhere.
 */
import type { PyodideInterface } from "pyodide";
import {
  handlerErrorResponse,
  handlerUrl,
  limitResponseSize,
  platformErrorResponse,
  stoppedResponse,
  wireCf,
} from "../http.ts";
import type { SyntaxProblem } from "../runner-protocol.ts";
import type {
  HandlerEnv,
  HandlerError,
  LanguageRuntime,
  LogEntry,
  LogSink,
  LogStream,
  ProgressSink,
  RunResult,
  StreamSink,
  WireRequest,
} from "../runtime-protocol.ts";
import {
  collectStream,
  type HandlerStream,
  type StreamingRun,
  type StreamStep,
} from "../stream.ts";
import { compileBombProblem, TOO_DEEPLY_NESTED } from "./check.ts";
import type { PatternProblem } from "./check-patterns.ts";
import { type InterruptBuffer, InterruptGate } from "./interrupt.ts";
import {
  type AdapterOutcome,
  type AdapterStep,
  type LoadedPython,
  loadedPython,
} from "./loaded-python.ts";
import type { CheckerFinding } from "./syntax-checker.ts";

export type { InterruptBuffer };

/** Loads Pyodide, reporting progress where it can. */
export type PyodideBoot = (onProgress?: ProgressSink) => Promise<PyodideInterface>;

/**
 * Past this much wasm memory after a run, Python is dropped and the next run gets a fresh one:
 * wasm memory never shrinks, so one handler that allocated (or ran out of) gigabytes would
 * otherwise leave them held for as long as the worker or isolate lives. A fresh Python from the
 * snapshot starts at ~30 MB.
 */
const KEPT_MEMORY_BYTES = 512 * 2 ** 20;

export class PythonRuntime implements LanguageRuntime {
  readonly #boot: PyodideBoot;
  #loaded?: Promise<LoadedPython>;
  /** The Python `#loaded` resolved to, once it has; unset once dropped. */
  #current?: LoadedPython;
  readonly #interrupt = new InterruptGate();
  /** Set by `cancelRun` until the next run starts: the run in flight ends as stopped. */
  #cancelled = false;
  /** Whether a run (or a stream's step) is in flight: `cancelRun` has something to stop. */
  #inFlight = false;
  /** The code last checked for compile bombs (by a run or a syntax check), and what was found. */
  #lastBombCheck?: { code: string; problem: PatternProblem | null };

  constructor(boot: PyodideBoot) {
    this.#boot = boot;
  }

  load(onProgress?: ProgressSink): Promise<void> {
    return this.#python(onProgress).then(() => undefined);
  }

  /**
   * Lets a caller stop runaway code: a run is interrupted once index 0 of `buffer` reads 2.
   * Browser: a SharedArrayBuffer-backed Int32Array the main thread sets to 2 (set back to 0 when
   * taken). Edge: an object whose index-0 getter counts reads and returns 2 past a budget; the
   * caller resets it before each run. A handler that catches `KeyboardInterrupt` is interrupted
   * again at its next loop; the run then answers with a 503 platform error. (One that catches it
   * at every loop cannot be stopped this way: the browser then terminates the worker.)
   */
  setInterruptBuffer(buffer: InterruptBuffer): void {
    this.#interrupt.buffer = buffer;
  }

  /**
   * Stops the run in flight while it awaits. Python is not executing when this is called (the
   * worker is single-threaded), so an interrupt would land wherever Python next runs: in the
   * event loop's own callback, outside the handler, where nothing catches it. Instead the run's
   * tasks are cancelled (a stream's generator closed), and the run answers as stopped. Resolves
   * false when no run was in flight to cancel.
   */
  async cancelRun(): Promise<boolean> {
    // No run in flight: one may be about to start, which only the interrupt would stop.
    if (!this.#inFlight || !this.#loaded) return false;
    this.#cancelled = true;
    // fnpad's own code runs from here: no interrupt may land in it.
    this.#interrupt.disarm();
    const { cancelPending } = await this.#loaded;
    cancelPending();
    return true;
  }

  /**
   * The syntax errors in `code` (none when it compiles), found by Python's own compiler without
   * running anything. Callers must not check while a run is going: the two share one interpreter.
   */
  async checkSyntax(code: string): Promise<SyntaxProblem[]> {
    // Code Python's compiler would spend seconds (and gigabytes) on is refused without it.
    const bomb = this.#bombIn(code);
    if (bomb) return [bomb];
    const { check } = await this.#python();
    let found: CheckerFinding[];
    try {
      found = JSON.parse(check(code)) as CheckerFinding[];
    } catch (thrown) {
      if (!this.#crashed(thrown)) throw thrown;
      return [{ line: 1, column: 1, message: TOO_DEEPLY_NESTED }];
    }
    return found.map(([line, column, message]) => ({
      line: Math.max(1, line),
      column: Math.max(1, column),
      message,
    }));
  }

  async run(
    code: string,
    request: WireRequest,
    onLog?: LogSink,
    env: HandlerEnv = {},
    onStream?: StreamSink,
  ): Promise<RunResult> {
    const started = performance.now();
    const { stream, ...result } = await this.start(code, request, onLog, env);
    if (!stream) return result;
    const collected = await collectStream(result.response, stream, onStream);
    const durationMs = performance.now() - started;
    // Python may have crashed, or grown past the cap, while it made the stream's chunks.
    const discarded = this.#discardIfSpent() ? { discarded: true as const } : {};
    return { ...result, ...collected, streamed: true, durationMs, ...discarded };
  }

  /**
   * Runs the handler up to its response; a streamed body is then still to be read, step by step,
   * from the result's `stream` (the edge sends it on as it comes; `run` collects it). Its `logs`
   * keep growing while the stream is read. A run that left Python holding too much memory says
   * so (`discarded`), and the next one gets a fresh Python.
   */
  async start(
    code: string,
    request: WireRequest,
    onLog?: LogSink,
    env: HandlerEnv = {},
  ): Promise<StreamingRun> {
    const result = await this.#start(code, request, onLog, env);
    // A stream's Python is looked at once the stream is read (`run`), or by the next run.
    if (result.stream || !this.#discardIfSpent()) return result;
    return { ...result, discarded: true };
  }

  /**
   * Whether the run that just ended left no Python worth keeping: it crashed (dropped already),
   * or holds more wasm memory than `KEPT_MEMORY_BYTES` (dropped here, as memory never shrinks).
   */
  #discardIfSpent(): boolean {
    const kept = this.#current;
    if (kept && kept.memoryBytes() <= KEPT_MEMORY_BYTES) return false;
    this.#drop();
    return true;
  }

  async #start(
    code: string,
    request: WireRequest,
    onLog: LogSink | undefined,
    env: HandlerEnv,
  ): Promise<StreamingRun> {
    const started = performance.now();
    // Saved before the save check knew of it: refused rather than compiled, which nothing stops.
    const bomb = this.#bombIn(code);
    if (bomb) {
      const error = compileBombError(bomb);
      return { response: handlerErrorResponse(error), logs: [], durationMs: 0, error };
    }
    const { run, step, enableInterrupts } = await this.#python();
    const logs: LogEntry[] = [];
    const log = (stream: LogStream, text: string) => {
      const entry = { stream, text, at: performance.now() - started };
      logs.push(entry);
      onLog?.(entry);
    };
    let outcome: AdapterOutcome;
    enableInterrupts();
    this.#interrupt.arm();
    this.#cancelled = false;
    this.#inFlight = true;
    try {
      const { method, path, query, headers, body } = request;
      const head = JSON.stringify([method, handlerUrl(request), path, query, headers]);
      const sentBody = body.byteLength > 0 ? body : undefined;
      const disarm = () => this.#interrupt.disarm();
      const envJson = JSON.stringify(env);
      outcome = await run(code, head, sentBody, wireCf(request), log, disarm, envJson);
    } catch (thrown) {
      // The adapter catches everything the handler raises; this is an interrupt that landed in
      // fnpad's own code, a cancelled run, or a broken runtime.
      outcome = [isKeyboardInterrupt(thrown) || this.#cancelled];
      if (!outcome[0]) {
        const response = platformErrorResponse(500, this.#failure(thrown));
        return { response, logs, durationMs: performance.now() - started };
      }
    } finally {
      this.#interrupt.disarm();
      this.#inFlight = false;
    }
    const durationMs = performance.now() - started;
    const [stopped, response, handlerError, streamId] = outcome;
    if (stopped || this.#interrupt.fired || this.#cancelled) {
      return { response: stoppedResponse("time or work budget exceeded"), logs, durationMs };
    }
    if (handlerError) {
      const error = withoutNullLine(handlerError);
      return { response: handlerErrorResponse(error), logs, durationMs, error };
    }
    const [status, headers, body] = response ?? [204, [], new Uint8Array()];
    if (streamId !== undefined) {
      const stream = this.#stream(streamId, step, enableInterrupts);
      return { response: { status, headers, body }, logs, durationMs, stream };
    }
    return { response: limitResponseSize({ status, headers, body }), logs, durationMs };
  }

  /**
   * `compileBombProblem(code)`, remembered for the last code: it reads the whole code (~35 µs for
   * 10 KB), an edge isolate runs the same code on every call, and the browser checks the code it
   * then runs.
   */
  #bombIn(code: string): PatternProblem | null {
    if (this.#lastBombCheck?.code !== code) {
      this.#lastBombCheck = { code, problem: compileBombProblem(code) };
    }
    return this.#lastBombCheck.problem;
  }

  /** Stream `id` of the adapter; interrupts are armed while each step runs, as during a run. */
  #stream(id: number, step: LoadedPython["step"], enableInterrupts: () => void): HandlerStream {
    let ended = false;
    const next = async (): Promise<StreamStep> => {
      if (ended) return { done: true };
      enableInterrupts();
      this.#interrupt.arm();
      this.#inFlight = true;
      let piece: AdapterStep;
      try {
        piece = await step(id);
      } catch (thrown) {
        // An interrupt that landed in fnpad's own code, or a broken runtime: the stream is over.
        piece = isKeyboardInterrupt(thrown) ? { done: true, stopped: true } : { done: true };
        if (!piece.stopped) {
          piece.error = { type: "PlatformError", message: this.#failure(thrown), traceback: "" };
        }
      } finally {
        this.#interrupt.disarm();
        this.#inFlight = false;
      }
      if (piece.chunk && !piece.done && !this.#cancelled) return { chunk: piece.chunk };
      ended = true;
      if (piece.stopped || this.#interrupt.fired || this.#cancelled) {
        step(id, true);
        return { done: true, stopped: "time or work budget exceeded" };
      }
      return piece.error ? { done: true, error: withoutNullLine(piece.error) } : { done: true };
    };
    const cancel = () => {
      if (ended) return;
      ended = true;
      step(id, true);
    };
    return { next, cancel };
  }

  /** Whether Python is up and has not been dropped since (the next call then boots a fresh one). */
  get booted(): boolean {
    return this.#current !== undefined;
  }

  /** Lets go of the current Python: the next call boots a fresh one. */
  #drop(): void {
    this.#loaded = undefined;
    this.#current = undefined;
  }

  /**
   * Whether `thrown` is Pyodide's fatal error (e.g. the compiler overflowed the stack on code
   * nested a hundred thousand deep). That Python can no longer be used: it is dropped, and the
   * next call boots a fresh one, so one bad snippet never leaves a runtime that fails every run.
   */
  #crashed(thrown: unknown): boolean {
    if ((thrown as { pyodide_fatal_error?: unknown } | null)?.pyodide_fatal_error !== true) {
      return false;
    }
    this.#drop();
    return true;
  }

  /** The platform error for a run that failed in the runtime rather than in the handler. */
  #failure(thrown: unknown): string {
    if (this.#crashed(thrown)) {
      return `Python crashed (${String(thrown)}); the next run starts a fresh Python`;
    }
    return `Python runtime failed: ${String(thrown)}`;
  }

  #python(onProgress?: ProgressSink): Promise<LoadedPython> {
    this.#loaded ??= this.#boot(onProgress).then((pyodide) => {
      onProgress?.({ stage: "Loading fnpad's adapter", fraction: 0.95 });
      const loaded = loadedPython(pyodide, this.#interrupt.view);
      this.#current = loaded;
      return loaded;
    });
    // A failed boot may be retried by the next call.
    this.#loaded.catch(() => {
      this.#loaded = undefined;
    });
    return this.#loaded;
  }
}

function isKeyboardInterrupt(thrown: unknown): boolean {
  return (thrown as { type?: unknown } | null)?.type === "KeyboardInterrupt";
}

/** Python's `None` line arrives as `undefined`; keep the field absent rather than undefined. */
/** The error a run of code refused by `compileBombProblem` answers, as Python's would read. */
function compileBombError({ line, message }: PatternProblem): HandlerError {
  const traceback = `  File "handler.py", line ${line}\nSyntaxError: ${message}\n`;
  return { type: "SyntaxError", message, traceback, line };
}

function withoutNullLine({ line, ...rest }: HandlerError): HandlerError {
  return typeof line === "number" ? { ...rest, line } : rest;
}
