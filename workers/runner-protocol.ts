/**
 * The messages between the page and its runner frame (the opaque-origin document that owns the
 * language workers), and the run and runtime states the page shows. Plain data only.
 */

import type {
  HandlerEnv,
  Language,
  LoadProgress,
  LogEntry,
  RunResult,
  StreamPart,
  WireRequest,
} from "./runtime-protocol.ts";

/** Why a run ended early: the Stop button, or the time budget ran out. */
export type StopReason = "user" | "budget";

/** A run's result as the page gets it, marked when it was stopped. */
export interface RunOutcome extends RunResult {
  /** Set when the run was stopped before the handler finished. */
  stopped?: StopReason;
}

/** What the UI shows about a runtime. */
export type RuntimeState =
  | { phase: "loading"; progress: LoadProgress }
  | { phase: "ready" }
  | { phase: "failed"; message: string };

/**
 * Pyodide's big files, fetched by the page (through its caches) and handed down to the Python
 * worker as Blobs: a Blob crosses to another frame or process as a handle, so the ~20 MB are not
 * copied on every hop (as bytes, delivering them to the runner took ~0.2 s).
 */
export interface PythonFiles {
  /** `pyodide.asm.wasm`, gzipped when `wasmGzipped`. */
  wasm: Blob;
  /** Whether `wasm` is gzipped: as the network serves it; the service worker keeps it unzipped. */
  wasmGzipped: boolean;
  /** `python_stdlib.zip`. */
  stdlib: Blob;
  /** The gzipped memory snapshot Python is restored from, when there is one (and no `snapshotBin`). */
  snapshotGz: Blob | null;
  /** The same snapshot unzipped, as the service worker keeps it: read, not unzipped, on later visits. */
  snapshotBin: Blob | null;
  /**
   * `pyodide.asm.mjs`, Pyodide's JavaScript glue, which the worker would otherwise import from
   * the network (the runner's requests come from no cache, so offline it could not).
   */
  asmJs: Blob | null;
}

/**
 * A message from the page to its runner frame (an opaque-origin document that owns the language
 * workers). Plain data only: nothing callable crosses between the page and the runner.
 */
export type PageToRunner =
  /** Run `code`'s handler on `request`; the runner answers with `log`s, then one `result`. */
  | {
      type: "run";
      runId: number;
      language: Language;
      code: string;
      request: WireRequest;
      budgetMs: number;
      /** The owner's env values (held in the page's memory only); empty values for a visitor. */
      env: HandlerEnv;
    }
  /** Stop run `runId` (its `result` still follows, marked `stopped`). */
  | { type: "stop"; runId: number; reason: StopReason }
  /** Pyodide's files for the Python worker; `null` when the page could not get them. */
  | { type: "python-files"; files: PythonFiles | null }
  /**
   * Check Python `code`'s syntax without running it; the runner answers with one `checked`, or
   * not at all when a newer check came in meanwhile.
   */
  | { type: "check"; checkId: number; code: string }
  /**
   * Are you there? Sent while a run goes; the runner answers `pong` at once (its own thread is
   * free: handlers run in its workers). None comes once its process crashed (out of memory, say).
   */
  | { type: "ping"; pingId: number };

/**
 * A message from the runner frame to the page. The page validates each one: the runner may have
 * been taken over by the code it runs, so it can lie about its own runs, and nothing more.
 */
export type RunnerToPage =
  /** A runtime's loading state changed. */
  | { type: "progress"; language: Language; state: RuntimeState }
  /** A line run `runId` printed, while it is still going. */
  | { type: "log"; runId: number; entry: LogEntry }
  /** Run `runId` streams its response: its status and headers, or the next piece of its body. */
  | { type: "stream"; runId: number; part: StreamPart }
  /** Run `runId` is over. */
  | { type: "result"; runId: number; outcome: RunOutcome }
  /** The syntax errors check `checkId` found (none when the code compiles). */
  | { type: "checked"; checkId: number; problems: SyntaxProblem[] }
  /** The answer to `ping` `pingId`: the runner is still there. */
  | { type: "pong"; pingId: number };

/** A syntax error in a handler's code, found without running it. */
export interface SyntaxProblem {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  message: string;
}
