/**
 * A handler run on the wire: the request a handler gets, the response and logs it gives back, and
 * the `LanguageRuntime` every language implements. Plain, structured-cloneable data: it crosses
 * `postMessage` (Comlink) and the boundary between the edge app and a snippet's isolate.
 */

import type { CfProperties } from "./cf.ts";

/** A language a handler can be written in. */
export type Language = "python" | "typescript";

/** Every language fnpad runs, in the order the UI offers them. */
export const LANGUAGES: readonly Language[] = ["python", "typescript"];

/** An HTTP header as a name/value pair; order and repeats are kept. */
export type HeaderPair = [name: string, value: string];

/** A request as handed to a handler, whether it runs in the browser or at the edge. */
export interface WireRequest {
  /** Upper-case HTTP method, e.g. `GET`. */
  method: string;
  /**
   * Absolute URL the request was sent to (`https://host/fn/abc/users/7?x=1`). Handlers do not see
   * it as it is: `request.url` is `handlerUrl(wire)` (`http.ts`), the origin with `path` and `query`.
   */
  url: string;
  /** Path relative to the endpoint base, always starting with `/` (`/fn/abc/users/7` gives `/users/7`). */
  path: string;
  /** Raw query string without the leading `?` (may be empty). */
  query: string;
  /** Request headers, in order. */
  headers: HeaderPair[];
  /** Request body bytes; empty for GET/HEAD. */
  body: Uint8Array;
  /**
   * The platform's `request.cf` (country, colo, asn, tlsVersion, …) as plain JSON, set only
   * where the edge route has one. Handlers see it merged over the placeholder (`cf.ts`), so it is
   * absent in the browser and may be partial under `wrangler dev`.
   */
  cf?: CfProperties;
}

/**
 * A snippet's environment variables and secrets for one run: name → value. Kept apart from the
 * `WireRequest` on purpose: requests are echoed, compared and recorded, env values never are.
 * Every run gets a fresh copy, so a handler that changes its `env` changes nothing for the next.
 */
export type HandlerEnv = Record<string, string>;

/** A response as made by a handler, after the contract's return-value rules were applied. */
export interface WireResponse {
  /** HTTP status code. */
  status: number;
  /** Response headers the handler set (plus the content type the contract implies), in order. */
  headers: HeaderPair[];
  /** Response body bytes. */
  body: Uint8Array;
}

/** Which stream a log line was written to. */
export type LogStream = "stdout" | "stderr";

/** One line a handler printed (`print`, `console.log`, `console.error`, …). */
export interface LogEntry {
  /** `stderr` for `console.error`/`console.warn`/`sys.stderr`, else `stdout`. */
  stream: LogStream;
  /** The text, without a trailing newline. */
  text: string;
  /** Milliseconds since the run started. */
  at: number;
}

/** An exception thrown by the handler's own code. */
export interface HandlerError {
  /** Exception type name, e.g. `ZeroDivisionError` or `TypeError`. */
  type: string;
  /** The exception's message. */
  message: string;
  /** Formatted traceback / stack, as the language prints it. */
  traceback: string;
  /** 1-based line in the user's code where it was raised, when known. */
  line?: number;
}

/** The outcome of one run of a handler. */
export interface RunResult {
  /** The HTTP response (for an exception: the contract's 500 JSON response). */
  response: WireResponse;
  /** Everything the handler printed, in order. */
  logs: LogEntry[];
  /** Wall-clock duration of the handler call in milliseconds. */
  durationMs: number;
  /** Set when the handler threw; `response` then is the 500 error response. */
  error?: HandlerError;
  /**
   * Set when the handler streamed its body (a `ReadableStream`, a Python generator): its parts
   * went to the run's `StreamSink` as they were made, and `response.body` holds them all.
   */
  streamed?: true;
  /**
   * Set when the runtime let go of its interpreter after this run (it crashed, or held too much
   * memory): the next run boots a fresh one, and a browser replaces the worker instead.
   */
  discarded?: true;
}

/**
 * A piece of a streamed response, handed on while the handler still makes it: first one `head`,
 * then a `chunk` for every piece of the body. The run's `RunResult` follows once the stream ended.
 */
export type StreamPart =
  | { type: "head"; status: number; headers: HeaderPair[] }
  | { type: "chunk"; bytes: Uint8Array };

/** Receives a streamed response's parts (a `Comlink.proxy` across the worker boundary). */
export type StreamSink = (part: StreamPart) => void;

/** How far a runtime has got with loading (Pyodide takes a while the first time). */
export interface LoadProgress {
  /** Short human-readable stage, e.g. `Downloading Python`. */
  stage: string;
  /** Fraction done in [0, 1], when known. */
  fraction?: number;
}

/** Receives log lines while a run is still going (a `Comlink.proxy` across the worker boundary). */
export type LogSink = (entry: LogEntry) => void;

/** Receives loading progress (a `Comlink.proxy` across the worker boundary). */
export type ProgressSink = (progress: LoadProgress) => void;

/** What every language runtime implements, in a Web Worker, in Node tests and in an edge isolate. */
export interface LanguageRuntime {
  /** Loads the language (idempotent); resolves once a run can start. */
  load(onProgress?: ProgressSink): Promise<void>;
  /**
   * Runs `code`'s handler once on `request` with `env` (default `{}`); never rejects for errors in
   * user code. A streamed body goes to `onStream` as it is made; the result comes once it ended.
   */
  run(
    code: string,
    request: WireRequest,
    onLog?: LogSink,
    env?: HandlerEnv,
    onStream?: StreamSink,
  ): Promise<RunResult>;
  /**
   * Stops the run in flight while it awaits (a sleep, a fetch, a stream's next chunk), which no
   * interrupt reaches: the worker only takes this message while no code of the run executes.
   * Resolves true once done; false (doing nothing) when no run is in flight, as when one is
   * about to start. Runtimes without it are stopped otherwise.
   */
  cancelRun?(): Promise<boolean>;
  /**
   * False once the runtime let go of its interpreter (Python's compiler overflowing the stack,
   * say, or a run that left it holding too much memory): the next call boots a fresh one. Absent
   * where a runtime never does.
   */
  readonly booted?: boolean;
}
