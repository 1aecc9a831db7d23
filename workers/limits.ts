/** Limits shared by the browser, the API and the endpoints: code, bodies, env, call log, rate limits. */

import type { RateLimits } from "./api-types.ts";

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

/**
 * Bounds of what the runner frame may tell the page about one run (`RunnerToPage`). The runner
 * keeps an honest run within them (it shortens long lines and counts the lines past the budget);
 * the page refuses a result past them, which only a runner taken over by its code sends.
 */
export const RUNNER_MESSAGE_LIMITS = {
  /** Most log lines of one run, the line saying how many more were dropped included. */
  logLines: 10_000,
  /** Longest log line, in characters. */
  logLineChars: 10_000,
  /** All of one run's log lines together, in characters. */
  logChars: 1_000_000,
  /** Most headers of a response. */
  headers: 200,
  /** Longest header name or value, in characters. */
  headerChars: 16 * 1024,
  /** Longest exception type, message or traceback, in characters. */
  errorChars: 64 * 1024,
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
 * Burst protection on `/fn/:id…`. Each limit is a token bucket: `N` calls a minute flow back
 * evenly (one every 60/N s) into a bucket that holds `burstSeconds` worth of them (N/6 for 10 s,
 * at least one), so a client may make N/6 calls at once and N a minute in the long run.
 */
export const RATE_LIMITS = {
  // A room's phones share a handful of clients (one address; reduced User-Agents, see
  // `clientOf` in edge/limits/guard.ts), so one client's burst must hold dozens of people.
  defaults: { perClient: 300, perSnippet: 3000 },
  /** Lowest limit an owner may set: one call every 10 s (a bucket of one). */
  min: 6,
  /** Highest: a thousand calls a second, about what one Durable Object can count. */
  max: 60_000,
  burstSeconds: 10,
} as const satisfies { defaults: RateLimits; min: number; max: number; burstSeconds: number };
