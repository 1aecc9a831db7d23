/**
 * Request/response serialisation between the Fetch API and the wire shapes of `runtime-protocol.ts`.
 * Written once and used by the browser workers, the edge and the tests, so that a request
 * reaches a handler identically wherever it runs.
 */
import { type CfProperties, handlerCf, plainCf } from "./cf.ts";
import { LIMITS } from "./limits.ts";
import { ERROR_SOURCE_HEADER } from "./platform-headers.ts";
import type { HandlerError, HeaderPair, WireRequest, WireResponse } from "./runtime-protocol.ts";

/** Statuses whose responses must not carry a body (the Response constructor rejects one). */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

/** Methods whose requests cannot carry a body. */
const BODYLESS_METHODS = new Set(["GET", "HEAD"]);

const encoder = new TextEncoder();

/** A UTF-16 code unit of a surrogate pair with no partner (`/u` matches paired ones as one code point). */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** The value of the first header named `name` (case-insensitive). */
export function headerValue(message: { headers: HeaderPair[] }, name: string): string | undefined {
  const lower = name.toLowerCase();
  return message.headers.find(([key]) => key.toLowerCase() === lower)?.[1];
}

/**
 * The UTF-8 bytes of text a handler returned. A lone surrogate has no UTF-8 encoding; it is
 * refused (the handler's error, like Python's `UnicodeEncodeError`) rather than sent as U+FFFD,
 * which would differ from what the handler returned without anyone noticing.
 */
export function handlerTextBytes(text: string): Uint8Array {
  const index = text.search(LONE_SURROGATE);
  if (index >= 0) {
    const unit = text.charCodeAt(index).toString(16).toUpperCase();
    throw new TypeError(
      `the handler returned text with a lone surrogate (\\u${unit} at index ${index}), which is not valid Unicode and cannot be sent as UTF-8`,
    );
  }
  return encoder.encode(text);
}

/** Copies into a plain `ArrayBuffer`-backed array: the Fetch API refuses shared memory. */
function ownedBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

export function headerPairs(headers: Headers): HeaderPair[] {
  return [...headers];
}

/** A request's parts, read already: what `wireRequest` makes a `WireRequest` of. */
export interface RequestParts {
  method: string;
  url: string;
  /** The part after the endpoint base (`/users/7`). */
  path: string;
  headers: HeaderPair[];
  /** Ignored for GET and HEAD, which carry none. */
  body: Uint8Array | null;
  /** The platform's `request.cf`, where there is one (kept as plain data). */
  cf?: unknown;
}

/** The wire form of a request whose body has been read (the edge reads it within its cap). */
export function wireRequest(parts: RequestParts): WireRequest {
  const method = parts.method.toUpperCase();
  const platformCf = plainCf(parts.cf);
  return {
    ...(platformCf ? { cf: platformCf } : {}),
    method,
    url: parts.url,
    path: parts.path.startsWith("/") ? parts.path : `/${parts.path}`,
    query: new URL(parts.url).search.slice(1),
    headers: parts.headers,
    body: BODYLESS_METHODS.has(method) || !parts.body ? new Uint8Array() : parts.body,
  };
}

/**
 * Serialises a Fetch `Request`; `path` is the part after the endpoint base (`/users/7`), `cf`
 * the platform's `request.cf` where there is one (kept as plain data).
 */
export async function requestToWire(
  request: Request,
  path: string,
  cf?: unknown,
): Promise<WireRequest> {
  const bodyless = BODYLESS_METHODS.has(request.method.toUpperCase());
  const body = bodyless ? null : new Uint8Array(await request.arrayBuffer());
  const { method, url, headers } = request;
  return wireRequest({ method, url, path, headers: headerPairs(headers), body, cf });
}

/**
 * The one `request.url` both languages see, in the browser and at the edge: the origin the
 * request was sent to, then the path relative to the endpoint and the query
 * (`https://host/fn/abc@2/users/7?x=1` gives `https://host/users/7?x=1`), so
 * `new URL(req.url).pathname` routes the same in the browser, at `/fn/:id/…` and at `/fn/:id@N/…`.
 */
export function handlerUrl(wire: Pick<WireRequest, "url" | "path" | "query">): string {
  // Concatenated, not resolved: a path like `//x` must not become a host.
  return `${new URL(wire.url).origin}${wire.path}${wire.query ? `?${wire.query}` : ""}`;
}

/** The `request.cf` a handler sees (the platform's, else the placeholder). */
export function wireCf(wire: WireRequest): CfProperties {
  return handlerCf(wire.cf);
}

/** Rebuilds the Fetch `Request` a TypeScript handler receives, with `handlerUrl` and `cf`. */
export function wireToRequest(wire: WireRequest): Request {
  const hasBody = !BODYLESS_METHODS.has(wire.method) && wire.body.byteLength > 0;
  const request = new Request(handlerUrl(wire), {
    method: wire.method,
    headers: wire.headers,
    body: hasBody ? ownedBytes(wire.body) : null,
  });
  // A browser's `Request` silently drops the headers it reserves for itself (`host`, `origin`,
  // `referer`, `accept-encoding`, `sec-fetch-*`, …), which the edge hands handlers as sent. A
  // free-standing `Headers` keeps them all, so the handler sees the same headers in both places.
  Object.defineProperty(request, "headers", { value: new Headers(wire.headers), enumerable: true });
  // An own property: workerd's `Request.prototype.cf` getter would give the rebuilt request's
  // (none), and the browser has no `cf` at all.
  Object.defineProperty(request, "cf", { value: wireCf(wire), enumerable: true });
  return request;
}

/** Serialises a Fetch `Response` (reads its body to the end). */
export async function responseToWire(response: Response): Promise<WireResponse> {
  return {
    status: response.status,
    headers: headerPairs(response.headers),
    body: new Uint8Array(await response.arrayBuffer()),
  };
}

/** Rebuilds a Fetch `Response` from its wire form. */
export function wireToResponse(wire: WireResponse): Response {
  const body = NULL_BODY_STATUSES.has(wire.status) ? null : ownedBytes(wire.body);
  return new Response(body, { status: wire.status, headers: wire.headers });
}

/** A JSON response; `application/json` is the content type every fnpad JSON body carries. */
export function jsonWireResponse(status: number, value: unknown, headers: HeaderPair[] = []) {
  return {
    status,
    headers: [["content-type", "application/json"], ...headers],
    body: encoder.encode(JSON.stringify(value)),
  } satisfies WireResponse;
}

/** The contract's 500 for an exception in the user's handler. */
export function handlerErrorResponse(error: HandlerError): WireResponse {
  const { type, message, traceback, line } = error;
  return jsonWireResponse(
    500,
    { error: { type, message, traceback, line: line ?? null }, source: "handler" },
    [[ERROR_SOURCE_HEADER, "handler"]],
  );
}

/** An error made by fnpad itself (limits, budgets, a broken runtime), not by the handler. */
export function platformErrorResponse(status: number, message: string): WireResponse {
  return jsonWireResponse(
    status,
    { error: { type: "PlatformError", message, traceback: "", line: null }, source: "platform" },
    [[ERROR_SOURCE_HEADER, "platform"]],
  );
}

/** A platform 503 that asks the caller to come back in `seconds` (`Retry-After`): nothing ran. */
export function retryLaterResponse(message: string, seconds: number): WireResponse {
  const response = platformErrorResponse(503, message);
  response.headers.push(["retry-after", String(seconds)]);
  return response;
}

/**
 * The error an error response's body carries (as `handlerErrorResponse` and
 * `platformErrorResponse` write it), with only the fields of the right type; `null` when the body
 * is not such JSON.
 */
export function errorInBody(
  response: WireResponse,
): { type?: string; message?: string; line?: number } | null {
  try {
    const { error } = JSON.parse(new TextDecoder().decode(response.body)) as {
      error?: { type?: unknown; message?: unknown; line?: unknown } | null;
    };
    if (!error || typeof error !== "object") return null;
    const { type, message, line } = error;
    return {
      ...(typeof type === "string" ? { type } : {}),
      ...(typeof message === "string" ? { message } : {}),
      ...(typeof line === "number" ? { line } : {}),
    };
  } catch {
    return null;
  }
}

/** Status of a run fnpad stopped (Stop button, time or work budget), as Workers answer over-limit requests. */
export const STOPPED_STATUS = 503;

/** The platform error for a run that was stopped before it finished. */
export function stoppedResponse(reason: string): WireResponse {
  return platformErrorResponse(STOPPED_STATUS, `stopped: ${reason}`);
}

/** Replaces a response whose body is over `LIMITS.responseBodyBytes` with a platform error. */
export function limitResponseSize(response: WireResponse): WireResponse {
  if (response.body.byteLength <= LIMITS.responseBodyBytes) return response;
  const megabytes = LIMITS.responseBodyBytes / (1024 * 1024);
  return platformErrorResponse(502, `the handler's response body is larger than ${megabytes} MiB`);
}
