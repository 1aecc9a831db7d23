/**
 * The one protocol shared by the web app, the Web Workers and the edge.
 * Everything here is plain, structured-cloneable data: it crosses `postMessage`
 * (Comlink), and the boundary between the edge app and a snippet's isolate.
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

/** Pyodide's big files, fetched by the page (through its caches) and handed to the runner as bytes. */
export interface PythonFiles {
  /** `pyodide.asm.wasm`. */
  wasm: ArrayBuffer;
  /** `python_stdlib.zip`. */
  stdlib: ArrayBuffer;
  /** The gzipped memory snapshot Python is restored from, when there is one. */
  snapshotGz: ArrayBuffer | null;
  /**
   * `pyodide.asm.mjs`, Pyodide's JavaScript glue (UTF-8), which the worker would otherwise import
   * from the network (the runner's requests come from no cache, so offline it could not).
   */
  asmJs: ArrayBuffer | null;
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
  | { type: "check"; checkId: number; code: string };

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
  | { type: "checked"; checkId: number; problems: SyntaxProblem[] };

/** A syntax error in a handler's code, found without running it. */
export interface SyntaxProblem {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  message: string;
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
  /** Longest snippet description, in characters. */
  descriptionChars: 1000,
  /** Longest request body saved with a snippet, in characters. */
  savedRequestBodyChars: 64 * 1024,
  /** Largest request body an endpoint accepts, in bytes. */
  requestBodyBytes: 1024 * 1024,
  /** Largest response body a handler may return, in bytes; a stream is cut once it passes this. */
  responseBodyBytes: 8 * 1024 * 1024,
  /**
   * Longest a response may stream at the edge, in milliseconds from its head; the stream is cut
   * then. (In the browser the run's own budget, `browserRunMs`, covers its stream.)
   */
  streamMs: 10_000,
  /** Default time budget of a browser run, in milliseconds. */
  browserRunMs: 5000,
} as const;

/** One name/value row of a saved request (query parameter or header); disabled rows are kept, unsent. */
export interface RequestRow {
  /** Whether the row is sent. */
  enabled: boolean;
  name: string;
  value: string;
}

/** The request builder's contents, saved with a snippet so visitors and forks start from it. */
export interface SavedRequest {
  /** HTTP method, e.g. `GET`. */
  method: string;
  /** Path relative to the endpoint, as typed (e.g. `/users/7`). */
  path: string;
  /** Query parameter rows. */
  query: RequestRow[];
  /** Header rows. */
  headers: RequestRow[];
  /** The body as typed: UTF-8 text, or base64 for binary. */
  body: string;
  /** How `body` is written. */
  bodyEncoding: "text" | "base64";
}

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
  /** A short description (empty string when none). */
  description: string;
  /** The request the author saved with the snippet, if any. */
  request: SavedRequest | null;
  /** The latest version number (versions count up from 1). */
  version: number;
  /** While frozen, the version the public endpoint `/fn/:id` serves; `null`: the latest. */
  frozenVersion: number | null;
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

/** A request body as a call record keeps it: its size, and its start when it is text. */
export interface CallBody {
  /** Size in bytes; null when it was not read (a body over the endpoint's limit). */
  bytes: number | null;
  /** The first `CALL_LOG.bodyPreviewBytes` as text when the body is UTF-8; absent for binary or empty bodies. */
  text?: string;
}

/** The handler's exception as a call record keeps it (no traceback: the line says where). */
export interface CallError {
  /** Exception type name, e.g. `ZeroDivisionError`. */
  type: string;
  /** The exception's message (shortened when very long). */
  message: string;
  /** 1-based line in the user's code, when known. */
  line?: number;
}

/** One call to a snippet's endpoint, as its owner's call log keeps it (`/api/snippets/:id/calls`). */
export interface CallRecord {
  /** Position in the snippet's log, increasing: the cursor for older pages and for catching up. */
  seq: number;
  /** When the call arrived at the edge (ISO 8601). */
  at: string;
  /** The snippet version that ran. */
  version: number;
  /** Upper-case HTTP method. */
  method: string;
  /** Path relative to the endpoint, as sent (`/fn/:id/users/7` gives `/users/7`). */
  path: string;
  /** Raw query string without the `?` (may be empty). */
  query: string;
  /** Request headers in order; values of credential-like headers replaced by `CALL_LOG.redacted`. */
  headers: HeaderPair[];
  /** The request body: its size and a text preview. */
  body: CallBody;
  /** The response status sent. */
  status: number;
  /** The response's content type, when it had one. */
  contentType: string | null;
  /** The response body's size in bytes, when the handler made one. */
  responseBytes: number | null;
  /** Who made an error response (`x-fnpad-error`): `handler`, `platform`, or null for none. */
  errorSource: "handler" | "platform" | null;
  /** Milliseconds from the call's arrival at the edge to its response, measured by the edge. */
  durationMs: number;
  /** What the handler printed, in order (at most `CALL_LOG.maxLogLines`, each line shortened). */
  logs: LogEntry[];
  /** How many log lines were left out to keep the record small. */
  logsDropped: number;
  /** The handler's exception, when it threw. */
  error: CallError | null;
}

/** A page of a snippet's call log, newest first (`GET /api/snippets/:id/calls?before=<seq>`). */
export interface CallPage {
  /** The calls, newest first. */
  calls: CallRecord[];
  /** `seq` to pass as `before` for the next (older) page; null when there is none. */
  next: number | null;
}

/** A message on a call log's live channel (`/api/snippets/:id/calls/live`), server to page. */
export type CallFeedMessage =
  /** Calls the log recorded since the viewer last heard, oldest first. */
  { type: "calls"; calls: CallRecord[] };

/** A message on a call log's live channel, page to server. */
export type CallFeedRequest =
  /** Send every kept call newer than `seq` (after connecting, to close the gap since the page's list). */
  { type: "since"; seq: number };

/** The WebSocket subprotocol of the live channel; the token goes as a second one, `CALL_TOKEN_PROTOCOL_PREFIX<token>`. */
export const CALL_FEED_PROTOCOL = "fnpad-calls";

/** Prefix of the subprotocol that carries the edit token (headers, never the URL). */
export const CALL_TOKEN_PROTOCOL_PREFIX = "fnpad-token.";

/** Bounds of a snippet's call log. */
export const CALL_LOG = {
  /** How many calls a snippet's log keeps; older ones are dropped. */
  keep: 200,
  /** Largest page of `GET /api/snippets/:id/calls`. */
  pageSize: 50,
  /** How much of a request body a record keeps, in bytes. */
  bodyPreviewBytes: 4096,
  /** Most log lines a record keeps. */
  maxLogLines: 100,
  /** Longest log line a record keeps, in characters. */
  maxLogChars: 1000,
  /** What replaces a redacted header's value. */
  redacted: "[redacted]",
} as const;

/**
 * Request header that carries the snippet's edit token on a call to its endpoint: the owner's
 * own calls ("Run at edge") skip the rate limits. A header, never the URL; the handler never gets
 * it, and a wrong token is refused (`403`) before anything runs.
 */
export const OWNER_TOKEN_HEADER = "x-fnpad-edit-token";

/** A snippet endpoint's rate limits, in calls a minute (`RATE_LIMITS` has the defaults and bounds). */
export interface RateLimits {
  /** Calls a minute from one client (an IPv4 address, or an IPv6 /64). */
  perClient: number;
  /** Calls a minute from everyone together. */
  perSnippet: number;
}

/**
 * Burst protection on `/fn/:id…`. Each limit is a token bucket: `N` calls a minute flow back
 * evenly (one every 60/N s) into a bucket that holds `burstSeconds` worth of them (N/6 for 10 s,
 * at least one), so a client may make N/6 calls at once and N a minute in the long run.
 */
export const RATE_LIMITS = {
  defaults: { perClient: 60, perSnippet: 3000 },
  /** Lowest limit an owner may set: one call every 10 s (a bucket of one). */
  min: 6,
  /** Highest: a thousand calls a second, about what one Durable Object can count. */
  max: 60_000,
  burstSeconds: 10,
} as const satisfies { defaults: RateLimits; min: number; max: number; burstSeconds: number };

/** Calls refused by a snippet's rate limits, as counted since the snippet was made. */
export interface RefusedCalls {
  /** Refused by the per-client limit. */
  perClient: number;
  /** Refused by the per-snippet limit. */
  perSnippet: number;
  /** When the last one was refused (ISO 8601), or null. */
  lastAt: string | null;
}

/** `GET`/`PUT /api/snippets/:id/limits` (owner only): the limits in force and what they refused. */
export interface RateLimitsView {
  limits: RateLimits;
  /** Whether each limit is the default (not set by the owner). */
  isDefault: { perClient: boolean; perSnippet: boolean };
  defaults: RateLimits;
  bounds: { min: number; max: number };
  refused: RefusedCalls;
}
