/** Headers that are the platform's own, never a handler's: on endpoint calls and its error responses. */

/**
 * Request header "Run at edge" sends: the endpoint then answers with `REQUEST_ECHO_HEADER`, so
 * the page can hand its browser run exactly the headers the edge's run got (the browser's own
 * `user-agent`, `accept`, `sec-fetch-*` among them) and the two runs are comparable.
 */
export const ECHO_REQUEST_HEADER = "x-fnpad-echo-request";

/** Response header with the request headers the handler got, as URI-encoded JSON `HeaderPair[]`. */
export const REQUEST_ECHO_HEADER = "x-fnpad-request-headers";

/**
 * Response header, on a call that asked for `REQUEST_ECHO_HEADER`, carrying a redirect's own
 * status: the endpoint answers such a redirect as a 200 with it, because a browser's `fetch`
 * follows a redirect and can never read one's status or `Location` (an opaque response), and
 * "Run at edge" must show the handler's redirect as the browser run does.
 */
export const REDIRECT_STATUS_HEADER = "x-fnpad-redirect-status";

/** Response header telling who made an error response: the user's `handler` or the `platform`. */
export const ERROR_SOURCE_HEADER = "x-fnpad-error";

/**
 * Request header that carries the snippet's edit token on a call to its endpoint: the owner's
 * own calls ("Run at edge") skip the rate limits. A header, never the URL; the handler never gets
 * it, and a wrong token is refused (`403`) before anything runs.
 */
export const OWNER_TOKEN_HEADER = "x-fnpad-edit-token";
