/**
 * Public endpoints: `/fn/:id/*` runs a snippet's latest version, `/fn/:id@N/*` version N, each in
 * its own sandboxed isolate (`../sandbox/`). The handler gets the request as the contract says
 * (path relative to the endpoint base) and its response comes back as it made it, plus headers
 * that keep any HTML it returns away from the app's origin.
 */
import { Hono } from "hono";
import { basePath } from "hono/route";
import { platformErrorResponse, requestToWire, wireToResponse } from "../../workers/http.ts";
import { LIMITS, type WireResponse } from "../../workers/protocol.ts";
import { findVersion } from "../db.ts";
import { runSnippet } from "../runner/run.ts";
import { readBodyWithin } from "../sandbox/body.ts";

/**
 * Every endpoint response is sandboxed: scripts may run (it is a function playground), but as
 * an opaque origin, never with the app's cookies, storage or API.
 */
const SANDBOX_CSP = "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads";

/** `abc123` or `abc123@4`: the id, and the version when one is pinned. */
const ENDPOINT_REF = /^([A-Za-z0-9_-]+)(?:@([1-9][0-9]{0,8}))?$/;

/**
 * Headers a snippet may not send: endpoints share the app's origin, and these act on the origin
 * itself whatever the CSP says (wiping its storage, which holds the edit tokens and unsaved
 * drafts; planting cookies; widening a service worker's scope).
 */
const ORIGIN_WIDE_HEADERS = ["clear-site-data", "set-cookie", "service-worker-allowed"];

function sandboxed(wire: WireResponse): Response {
  const response = wireToResponse(wire);
  for (const name of ORIGIN_WIDE_HEADERS) response.headers.delete(name);
  // Appended, not set: a handler's own CSP still applies, and can only add restrictions.
  response.headers.append("content-security-policy", SANDBOX_CSP);
  response.headers.set("x-content-type-options", "nosniff");
  return response;
}

const fn = new Hono<{ Bindings: Env }>();

fn.all("/:ref/*", async (c) => {
  const ref = ENDPOINT_REF.exec(c.req.param("ref"));
  const [, id, version] = ref ?? [];
  if (!id) return sandboxed(platformErrorResponse(404, "No such endpoint: expected /fn/<id>/…"));

  const snippet = await findVersion(c.env.DB, id, version ? Number(version) : undefined);
  if (!snippet) {
    const what = version ? `version ${version} of snippet ${id}` : `snippet ${id}`;
    return sandboxed(platformErrorResponse(404, `No ${what}`));
  }

  const body = await readBodyWithin(c.req.raw, LIMITS.requestBodyBytes);
  if (body === "too large") {
    const megabytes = LIMITS.requestBodyBytes / (1024 * 1024);
    return sandboxed(platformErrorResponse(413, `Request bodies are limited to ${megabytes} MiB`));
  }
  // The handler's path is what follows the endpoint's base, as sent (percent-encoded, like the
  // browser's request builder sends it); `c.req.path` would be decoded.
  const base = basePath(c).replace(/\/$/, "");
  const sent = new URL(c.req.url).pathname;
  const rawRef = sent.slice(base.length + 1).split("/", 1)[0] ?? "";
  const path = sent.slice(base.length + 1 + rawRef.length) || "/";
  const method = c.req.method;
  const request = await requestToWire(
    new Request(c.req.url, {
      method,
      headers: c.req.raw.headers,
      body: method === "GET" || method === "HEAD" ? null : body,
    }),
    path,
  );

  try {
    // In this process, or under `npm run dev` in a runner process with a deadline (`../runner/`).
    return sandboxed(await runSnippet(c.env, snippet, request));
  } catch (error) {
    console.error(`/fn/${c.req.param("ref")}: the isolate failed:`, error);
    const message = `The snippet's isolate failed: ${error instanceof Error ? error.message : String(error)}`;
    return sandboxed(platformErrorResponse(502, message));
  }
});

export default fn;
