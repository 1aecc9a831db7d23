/** `fnpad run`'s options as the request a handler gets: pure, so it is unit-tested. */

import { ENV_NAME_PATTERN } from "../workers/limits.ts";
import type { HeaderPair, WireRequest } from "../workers/runtime-protocol.ts";
import { CliError, EXIT } from "./exit.ts";

/** The endpoint a local run pretends to be at: the handler sees it as `request.url`. */
export const LOCAL_ENDPOINT = "http://localhost:8787/fn/local";

export interface RunRequestOptions {
  method?: string;
  /** Path relative to the endpoint, with an optional `?query`. */
  path?: string;
  /** `Name: value` lines, as curl's `-H`. */
  headers?: string[];
  /** The body bytes (`-d`, already read when it named a file). */
  body?: Uint8Array;
}

/** RFC 9110 token characters: what a method or a header name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function parseHeader(line: string): HeaderPair {
  const colon = line.indexOf(":");
  const name = colon < 0 ? "" : line.slice(0, colon).trim();
  if (!TOKEN.test(name)) {
    throw new CliError(EXIT.usage, `-H needs 'Name: value', not ${JSON.stringify(line)}`);
  }
  return [name.toLowerCase(), line.slice(colon + 1).trim()];
}

/** `NAME=value`, as `--env` takes it: the names the snippet's env allows. */
export function parseEnvEntry(entry: string): [string, string] {
  const equals = entry.indexOf("=");
  const name = equals < 0 ? "" : entry.slice(0, equals);
  if (!ENV_NAME_PATTERN.test(name)) {
    throw new CliError(
      EXIT.usage,
      `--env needs NAME=value (NAME like API_KEY), not ${JSON.stringify(entry)}`,
    );
  }
  return [name, entry.slice(equals + 1)];
}

export function buildRunRequest(
  options: RunRequestOptions,
  endpoint = LOCAL_ENDPOINT,
): WireRequest {
  const method = (options.method ?? (options.body ? "POST" : "GET")).toUpperCase();
  if (!TOKEN.test(method))
    throw new CliError(EXIT.usage, `${JSON.stringify(options.method)} is not an HTTP method`);
  const target = options.path ?? "/";
  if (!target.startsWith("/")) {
    throw new CliError(
      EXIT.usage,
      `--path must start with /, e.g. /hello?name=Ada (got ${JSON.stringify(target)})`,
    );
  }
  const hash = target.indexOf("#");
  const withoutHash = hash < 0 ? target : target.slice(0, hash);
  const question = withoutHash.indexOf("?");
  const path = question < 0 ? withoutHash : withoutHash.slice(0, question);
  const query = question < 0 ? "" : withoutHash.slice(question + 1);
  const headers = (options.headers ?? []).map(parseHeader);
  const body = options.body ?? new Uint8Array();
  // fetch() refuses a GET or HEAD with a body, so no endpoint ever gets one.
  if (body.byteLength > 0 && (method === "GET" || method === "HEAD")) {
    throw new CliError(
      EXIT.usage,
      `A ${method} request has no body: add -X POST (or another method)`,
    );
  }
  const url = `${endpoint}${path}${query ? `?${query}` : ""}`;
  return { method, url, path, query, headers, body };
}
