/**
 * Which of a handler's response headers leave an endpoint. Endpoints share the app's origin, so a
 * header that acts on the whole origin (cookies, storage wiping, service worker scope, HSTS,
 * reporting, alternative services, client hints, …) would act on the app itself. New headers of
 * that kind keep being invented, so this is an allow-list, not a deny-list:
 *
 * - the standard names in `STANDARD_HEADERS`: representation, caching, CORS, redirects,
 *   authentication challenges and other headers that describe this one response;
 * - any `x-` name (custom application headers such as `x-kind` or `x-request-id`): browsers give
 *   no origin-wide meaning to `x-` names, and new standard headers no longer use the prefix
 *   (RFC 6648) — except fnpad's own `x-fnpad-*` names other than `x-fnpad-error`, which the
 *   glue inside the isolate sets (and which is therefore only as trustworthy as the isolate).
 *
 * Everything else is dropped. Framing (`content-length`, `transfer-encoding`, `content-encoding`)
 * is the runtime's: it is worked out from the body the handler returned.
 */
import {
  ERROR_SOURCE_HEADER,
  REDIRECT_STATUS_HEADER,
  REQUEST_ECHO_HEADER,
} from "../../workers/platform-headers.ts";
import type { HeaderPair } from "../../workers/runtime-protocol.ts";

/** Standard response headers a handler may set (lower case). */
export const STANDARD_HEADERS: ReadonlySet<string> = new Set([
  // The representation.
  "content-type",
  "content-language",
  "content-disposition",
  "content-location",
  "content-range",
  "accept-ranges",
  "content-security-policy", // Added to fnpad's sandbox policy; it can only restrict more.
  "link",
  // Caching and conditional requests.
  "cache-control",
  "etag",
  "last-modified",
  "expires",
  "age",
  "vary",
  "pragma",
  // CORS (reading this one response from another origin).
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "access-control-allow-headers",
  "access-control-allow-methods",
  "access-control-expose-headers",
  "access-control-max-age",
  "timing-allow-origin",
  "cross-origin-resource-policy",
  // Status-specific: redirects, auth challenges, rate limits, allowed methods.
  "location",
  "www-authenticate",
  "retry-after",
  "allow",
  "ratelimit",
  "ratelimit-policy",
  "deprecation",
  "sunset",
  "server-timing",
  "referrer-policy",
]);

/** Whether a handler may send header `name` (any case). */
export function isEndpointHeader(name: string): boolean {
  const lower = name.toLowerCase();
  if (STANDARD_HEADERS.has(lower)) return true;
  if (!lower.startsWith("x-")) return false;
  return !lower.startsWith("x-fnpad-") || lower === ERROR_SOURCE_HEADER;
}

/** The headers of a handler's response that may leave the endpoint, in order. */
export function endpointHeaders(headers: readonly HeaderPair[]): HeaderPair[] {
  return headers.filter(([name]) => isEndpointHeader(name));
}

/** The statuses a browser's `fetch` follows, by the Fetch standard. */
const FOLLOWED_REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Every endpoint response is sandboxed: scripts may run (it is a function playground), but as
 * an opaque origin, never with the app's cookies, storage or API.
 */
export const SANDBOX_CSP =
  "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads";

/**
 * `response` with the headers every `/fn` response carries (and the handler's request headers,
 * `echoed`, when the caller asked for them back). Set in place: every response there is fnpad's
 * own, and a copy for each call cost ~5% of a warm call's CPU. A response whose headers are
 * immutable is copied first.
 */
export function sandboxed(response: Response, echoed?: readonly HeaderPair[]): Response {
  const protect = (headers: Headers) => {
    // Appended, not set: a handler's own CSP still applies, and can only add restrictions.
    headers.append("content-security-policy", SANDBOX_CSP);
    headers.set("x-content-type-options", "nosniff");
    if (echoed) headers.set(REQUEST_ECHO_HEADER, encodeURIComponent(JSON.stringify(echoed)));
  };
  if (echoed && FOLLOWED_REDIRECTS.has(response.status)) {
    // The page's "Run at edge" could not read a redirect (see `REDIRECT_STATUS_HEADER`).
    const readable = new Response(response.body, { status: 200, headers: response.headers });
    readable.headers.set(REDIRECT_STATUS_HEADER, String(response.status));
    protect(readable.headers);
    return readable;
  }
  try {
    protect(response.headers);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    protect(copy.headers);
    return copy;
  }
}
