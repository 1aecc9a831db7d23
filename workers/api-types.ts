/**
 * The JSON API's bodies (`/api/snippets…`): snippets, versions, env, rate limits and the error
 * body every platform error has. The call log's are in `call-log-types.ts`.
 */

import type { HandlerEnv, Language } from "./runtime-protocol.ts";

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

/**
 * `GET /api/snippets/:id/env/names` (anyone): the names alone, public as a fork's are, so that a
 * visitor's browser runs get each name with an empty value.
 */
export interface EnvNamesView {
  names: string[];
}

/** `POST /api/snippets/:id/env/reveal` (owner only): every value, for the owner's browser runs. */
export interface EnvRevealView {
  env: HandlerEnv;
}

/** A snippet endpoint's rate limits, in calls a minute (`RATE_LIMITS` has the defaults and bounds). */
export interface RateLimits {
  /** Calls a minute from one client (an IPv4 address, or an IPv6 /64). */
  perClient: number;
  /** Calls a minute from everyone together. */
  perSnippet: number;
}

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
