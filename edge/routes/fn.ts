/**
 * Public endpoints: `/fn/:id/*` runs a snippet's latest version, `/fn/:id@N/*` version N, each in
 * its own sandboxed isolate (`../sandbox/`). The handler gets the request as the contract says
 * (path relative to the endpoint base) and its response comes back as it made it, minus any header
 * outside the allow-list (`../sandbox/response-headers.ts`). Every `/fn` response, fnpad's own
 * errors included, carries headers that keep any HTML in it away from the app's origin.
 */
import { Hono } from "hono";
import { basePath } from "hono/route";
import {
  NULL_BODY_STATUSES,
  platformErrorResponse,
  wireRequest,
  wireToResponse,
} from "../../workers/http.ts";
import { LIMITS } from "../../workers/limits.ts";
import { ECHO_REQUEST_HEADER, OWNER_TOKEN_HEADER } from "../../workers/platform-headers.ts";
import type { HandlerEnv, HeaderPair, WireResponse } from "../../workers/runtime-protocol.ts";
import { parseSnippetRef } from "../../workers/snippet-ref.ts";
import { type CallNote, noteCall, recordCalls } from "../calls/hook.ts";
import { endpointEnv, findRunnable } from "../endpoint-lookup.ts";
import { redactEnvValues } from "../env-redact.ts";
import { hasEnvValues, WITHHELD_MESSAGE, withheldErrorText } from "../error-details.ts";
import { guardEndpoint } from "../limits/guard.ts";
import { runSnippet } from "../runner/run.ts";
import { readBodyWithin } from "../sandbox/body.ts";
import { checkedIsolateResponse } from "../sandbox/isolate-response.ts";
import { endpointHeaders, sandboxed } from "../sandbox/response-headers.ts";
import { relayStream } from "../sandbox/stream-relay.ts";
import { PhaseTimer } from "../server-timing.ts";

/** A handler's response, with only the headers an endpoint may send (see `response-headers.ts`). */
function fromHandler(wire: WireResponse): Response {
  return wireToResponse({ ...wire, headers: endpointHeaders(wire.headers) });
}

/**
 * A handler's streamed response: its checked head now, its body as the relay passes it on (size
 * cap and time limit enforced here, in the parent); the call log waits for the stream's end.
 */
function streamFromHandler(call: CallNote, events: ReadableStream<Uint8Array>): Response {
  const { status, headers } = call.response ?? { status: 200, headers: [] };
  if (NULL_BODY_STATUSES.has(status)) {
    events.cancel().catch(() => {});
    return fromHandler({ status, headers, body: new Uint8Array() });
  }
  const relay = relayStream(events);
  call.stream = relay.ended;
  const response = new Response(relay.body, { status, headers: endpointHeaders(headers) });
  // Not compressed on the way out: a compressor holds small chunks back until it has enough (an
  // SSE feed of short events would arrive all at once). `identity` is what keeps the platform's
  // automatic compression (and `wrangler dev`'s imitation of it) off.
  response.headers.set("content-encoding", "identity");
  return response;
}

/** fnpad's own error response. */
function platformError(status: number, message: string): Response {
  return wireToResponse(platformErrorResponse(status, message));
}

/** Per request: the headers the handler got, when the caller asked for them back. */
type Variables = { echoedHeaders?: HeaderPair[] };

const fn = new Hono<{ Bindings: Env; Variables: Variables }>();

// On every response under /fn, also `/fn` and `/fn/` themselves, fnpad's 404s and the app's
// error handler's 500s: endpoints share the app's origin, so nothing served there may run with it.
fn.use("*", async (c, next) => {
  await next();
  const response = sandboxed(c.res, c.get("echoedHeaders"));
  if (response !== c.res) {
    c.res = undefined;
    c.res = response;
  }
});

const NO_ENDPOINT = "No such endpoint: expected /fn/<id>/…";

/** Why `written` names no endpoint: a bad version after a good id gets said as such. */
function noEndpoint(written: string): string {
  const at = written.indexOf("@");
  if (at === -1 || !parseSnippetRef(written.slice(0, at))) return NO_ENDPOINT;
  const version = written.slice(at + 1, at + 21);
  return `No such endpoint: "${version}" is not a version number; expected /fn/<id>@N/… with N from 1`;
}

/**
 * What an app page may not load from an endpoint: endpoints share the app's origin, which its
 * CSP trusts for scripts, styles and workers (`'self'`), so markup injected into the app could
 * run a handler's answer as the app's own code. (Another site loading one runs it as its own.)
 */
const REFUSED_SAME_ORIGIN_DESTINATIONS = new Set([
  "script",
  "style",
  "worker",
  "sharedworker",
  "serviceworker",
  "audioworklet",
  "paintworklet",
  "xslt",
]);

fn.use("*", async (c, next) => {
  const destination = c.req.header("sec-fetch-dest") ?? "";
  if (
    c.req.header("sec-fetch-site") === "same-origin" &&
    REFUSED_SAME_ORIGIN_DESTINATIONS.has(destination)
  ) {
    return platformError(
      403,
      `An endpoint's answer cannot be loaded by the app as a ${destination}`,
    );
  }
  await next();
});

fn.all("/", () => platformError(404, NO_ENDPOINT));

/** The env's names with empty values, as a visitor's runs in the browser get them. */
function namesOnly(env: HandlerEnv): HandlerEnv {
  return Object.fromEntries(Object.keys(env).map((name) => [name, ""]));
}

// Every call to a snippet goes to its owner's call log (`../calls/`), after the response.
fn.all("/:ref/*", recordCalls, async (c) => {
  const written = c.req.param("ref");
  const ref = parseSnippetRef(written);
  if (!ref) return platformError(404, noEndpoint(written));
  const { id, version } = ref;
  const timer = new PhaseTimer(c.env);

  const endpoint = await timer.time("lookup", findRunnable(c.env, id, version));
  if (!endpoint) {
    const what = version ? `version ${version} of snippet ${id}` : `snippet ${id}`;
    return platformError(404, `No ${what}`);
  }
  const { snippet, guard, servedVersion } = endpoint;
  // The rate limits' RPC to the snippet's Durable Object runs beside the env's D1 read, so it
  // adds next to nothing to a call; a refused call costs that read, never a run. Env values are
  // read per call, never baked into the isolate: a changed secret counts from the next call.
  const [caller, values] = await Promise.all([
    guardEndpoint(c.env, c.req.raw, snippet.id, guard),
    timer.time("env", endpointEnv(c.env, snippet.id)),
  ]);
  // Refused calls are counted for the owner (`../limits/refused.ts`), not recorded one by one.
  if (caller instanceof Response) return caller;
  // The values are for the version the endpoint serves. Any other (`/fn/:id@N`, immutable and
  // callable for good) gets them only from the owner's own calls (Run at edge): an old version
  // that handed out its env would otherwise hand anyone the secrets set long after it was fixed.
  const env =
    snippet.version !== servedVersion && caller === "visitor" ? namesOnly(values) : values;
  // Error text is the owner's only when the snippet has env values (`../error-details.ts`).
  const withhold = caller === "visitor" && hasEnvValues(env);
  const call = noteCall(c, snippet);

  const body = await readBodyWithin(c.req.raw, LIMITS.requestBodyBytes);
  if (body === "too large") {
    const megabytes = LIMITS.requestBodyBytes / (1024 * 1024);
    return platformError(413, `Request bodies are limited to ${megabytes} MiB`);
  }
  // The handler's path is what follows the endpoint's base, as sent (percent-encoded, like the
  // browser's request builder sends it); `c.req.path` would be decoded.
  const base = basePath(c).replace(/\/$/, "");
  const sent = new URL(c.req.url).pathname;
  const rawRef = sent.slice(base.length + 1).split("/", 1)[0] ?? "";
  const path = sent.slice(base.length + 1 + rawRef.length) || "/";
  const request = wireRequest({
    method: c.req.method,
    url: c.req.url,
    path,
    // The owner's token is fnpad's business: the handler never sees it.
    headers: [...c.req.raw.headers].filter(([name]) => name !== OWNER_TOKEN_HEADER),
    body,
    cf: c.req.raw.cf,
  });
  if (request.headers.some(([name]) => name === ECHO_REQUEST_HEADER)) {
    request.headers = request.headers.filter(([name]) => name !== ECHO_REQUEST_HEADER);
    c.set("echoedHeaders", request.headers);
  }
  call.request = request;

  call.env = env;
  try {
    // In this process, or under `npm run dev` in a runner process with a deadline (`../runner/`).
    const ran = await timer.time("run", runSnippet(c.env, snippet, request, env));
    const { response, logs, error, events } = ran;
    Object.assign(call, { logs, error });
    // Checked and measured here: the isolate's own checks run in a realm the snippet can patch.
    call.response = checkedIsolateResponse(response);
    const sent = events
      ? streamFromHandler(call, events)
      : fromHandler(withhold ? withheldErrorText(call.response) : call.response);
    return timer.addTo(sent, ran.runnerMs, ran.boot);
  } catch (error) {
    console.error(`/fn/${c.req.param("ref")}: the isolate failed:`, error);
    const message = `The snippet's isolate failed: ${error instanceof Error ? error.message : String(error)}`;
    // What broke may quote the handler's values; the caller gets none of them.
    return platformError(502, withhold ? WITHHELD_MESSAGE : redactEnvValues(message, env));
  }
});

export default fn;
