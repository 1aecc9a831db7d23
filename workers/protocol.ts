/**
 * The one protocol shared by the web app, the Web Workers and the edge.
 * Everything here is plain, structured-cloneable data: it crosses `postMessage`
 * (Comlink), and the boundary between the edge app and a snippet's isolate.
 */

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
  /** Absolute URL the handler sees as `request.url`. */
  url: string;
  /** Path relative to the endpoint base, always starting with `/` (`/fn/abc/users/7` gives `/users/7`). */
  path: string;
  /** Raw query string without the leading `?` (may be empty). */
  query: string;
  /** Request headers, in order. */
  headers: HeaderPair[];
  /** Request body bytes; empty for GET/HEAD. */
  body: Uint8Array;
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
}

/** How far a runtime has got with loading (Pyodide takes a while the first time). */
export interface LoadProgress {
  /** Short human-readable stage, e.g. `Downloading Python`. */
  stage: string;
  /** Fraction done in [0, 1], when known. */
  fraction?: number;
}

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
  | { type: "stop"; runId: number; reason: StopReason };

/**
 * A message from the runner frame to the page. The page validates each one: the runner may have
 * been taken over by the code it runs, so it can lie about its own runs, and nothing more.
 */
export type RunnerToPage =
  /** A runtime's loading state changed. */
  | { type: "progress"; language: Language; state: RuntimeState }
  /** A line run `runId` printed, while it is still going. */
  | { type: "log"; runId: number; entry: LogEntry }
  /** Run `runId` is over. */
  | { type: "result"; runId: number; outcome: RunOutcome };

/** Receives log lines while a run is still going (a `Comlink.proxy` across the worker boundary). */
export type LogSink = (entry: LogEntry) => void;

/** Receives loading progress (a `Comlink.proxy` across the worker boundary). */
export type ProgressSink = (progress: LoadProgress) => void;

/** What every language runtime implements, in a Web Worker, in Node tests and in an edge isolate. */
export interface LanguageRuntime {
  /** Loads the language (idempotent); resolves once a run can start. */
  load(onProgress?: ProgressSink): Promise<void>;
  /** Runs `code`'s handler once on `request` with `env` (default `{}`); never rejects for errors in user code. */
  run(code: string, request: WireRequest, onLog?: LogSink, env?: HandlerEnv): Promise<RunResult>;
}

/**
 * Request header "Run at edge" sends: the endpoint then answers with `REQUEST_ECHO_HEADER`, so
 * the page can hand its browser run exactly the headers the edge's run got (the browser's own
 * `user-agent`, `accept`, `sec-fetch-*` among them) and the two runs are comparable.
 */
export const ECHO_REQUEST_HEADER = "x-fnpad-echo-request";

/** Response header with the request headers the handler got, as URI-encoded JSON `HeaderPair[]`. */
export const REQUEST_ECHO_HEADER = "x-fnpad-request-headers";

/** Response header telling who made an error response: the user's `handler` or the `platform`. */
export const ERROR_SOURCE_HEADER = "x-fnpad-error";

/** Limits shared by the browser, the API and the endpoints. */
export const LIMITS = {
  /** Largest snippet source, in bytes (UTF-8). */
  codeBytes: 256 * 1024,
  /** Longest snippet title, in characters. */
  titleChars: 200,
  /** Largest request body an endpoint accepts, in bytes. */
  requestBodyBytes: 1024 * 1024,
  /** Largest response body a handler may return, in bytes. */
  responseBodyBytes: 8 * 1024 * 1024,
  /** Default time budget of a browser run, in milliseconds. */
  browserRunMs: 5000,
} as const;

/** Limits of a snippet's env (`/api/snippets/:id/env`). */
export const ENV_LIMITS = {
  /** Variables and secrets per snippet. */
  entries: 32,
  /** Longest name, in characters. */
  nameChars: 64,
  /** Largest value, in bytes (UTF-8). */
  valueBytes: 4 * 1024,
  /** All values of a snippet together, in bytes (UTF-8). */
  totalBytes: 64 * 1024,
} as const;

/** What an env name must look like: the shell's convention, so `env.API_KEY` reads naturally. */
export const ENV_NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/;

/** One variable or secret as the owner's listing shows it; a secret's value is never sent back. */
export interface EnvEntryView {
  name: string;
  /** A secret: encrypted at rest, its value never returned by the listing. */
  secret: boolean;
  /** A variable's value; absent for a secret. */
  value?: string;
  /** Whether the value is empty (a fork gets every name with an empty value). */
  empty: boolean;
  /** When the value was last set (ISO 8601). */
  updatedAt: string;
}

/** `GET /api/snippets/:id/env` (owner only). */
export interface EnvListView {
  entries: EnvEntryView[];
}

/** `POST /api/snippets/:id/env/reveal` (owner only): every value, for the owner's browser runs. */
export interface EnvRevealView {
  env: HandlerEnv;
}

/** A saved snippet as the JSON API (`/api/snippets/:id`) returns it. */
export interface SnippetView {
  /** Short random id, e.g. `x7Kq2LmP0a`. */
  id: string;
  /** The snippet's language; fixed for its lifetime. */
  language: Language;
  /** Title (empty string when none). */
  title: string;
  /** The latest version number (versions count up from 1). */
  version: number;
  /** Source code of the latest version. */
  code: string;
  /** When the snippet was created (ISO 8601). */
  createdAt: string;
  /** When the latest version was saved (ISO 8601). */
  updatedAt: string;
  /** Id of the snippet this one was forked from, if any. */
  forkedFrom: string | null;
  /** Absolute URL that opens the snippet in the editor (`/s/:id`). */
  shareUrl: string;
  /** Absolute URL of the public endpoint running the latest version (`/fn/:id`). */
  endpointUrl: string;
}

/** The reply to creating or forking a snippet: the snippet and its edit token (shown only this once). */
export interface CreatedSnippet extends SnippetView {
  /** Edit token; send as `Authorization: Bearer <token>` to update or delete. */
  token: string;
}

/** One entry of a snippet's version history (`/api/snippets/:id/versions`). */
export interface VersionSummary {
  /** Version number. */
  version: number;
  /** When it was saved (ISO 8601). */
  createdAt: string;
  /** Size of its code in bytes (UTF-8). */
  size: number;
}

/** One immutable version of a snippet (`/api/snippets/:id/versions/:n`). */
export interface SnippetVersionView {
  /** Snippet id. */
  id: string;
  /** The snippet's language. */
  language: Language;
  /** Version number. */
  version: number;
  /** Source code of this version. */
  code: string;
  /** When this version was saved (ISO 8601). */
  createdAt: string;
  /** Absolute URL of the endpoint pinned to this version (`/fn/:id@:version`). */
  endpointUrl: string;
}

/** The JSON body of every error response the platform makes (API and endpoints). */
export interface ApiErrorBody {
  /** What went wrong. */
  error: {
    /** Stable machine-readable code, e.g. `invalid_body`, `not_found`, `compile_error`. */
    code: string;
    /** Human-readable explanation. */
    message: string;
    /** Extra data, e.g. zod `issues` or a compile error's `line`/`column`. */
    details?: unknown;
  };
}
