import {
  ECHO_REQUEST_HEADER,
  OWNER_TOKEN_HEADER,
  REDIRECT_STATUS_HEADER,
  REQUEST_ECHO_HEADER,
} from "../../workers/platform-headers.ts";
import type { RunOutcome } from "../../workers/runner-protocol.ts";
import type { HeaderPair, WireResponse } from "../../workers/runtime-protocol.ts";
import { edgeFailureMessage } from "./failure-message.ts";
import {
  bodyBytes,
  hasBody,
  headerPairs,
  pathAndQuery,
  type RequestDraft,
} from "./request-draft.ts";

/** The edge's answer, and the request headers its handler got (when the endpoint said). */
export interface EndpointCall {
  response: WireResponse;
  /** The headers the edge handed the handler: the builder's plus what the browser added. */
  requestHeaders: HeaderPair[] | null;
}

/**
 * Sends the builder's request to a saved endpoint (same origin as the page) and returns its
 * response as the runtimes give theirs, so the two can be compared. The owner's `token` goes in
 * its own header (the handler never gets it), so the endpoint's rate limits never lock the owner
 * out of their own snippet in the middle of a demo.
 */
export async function callEndpoint(
  endpointUrl: string,
  draft: RequestDraft,
  token: string | null = null,
): Promise<EndpointCall> {
  const headers: HeaderPair[] = [...headerPairs(draft), [ECHO_REQUEST_HEADER, "1"]];
  if (token) headers.push([OWNER_TOKEN_HEADER, token]);
  const response = await fetch(`${endpointUrl}${pathAndQuery(draft)}`, {
    method: draft.method,
    headers,
    body: hasBody(draft.method) ? new Uint8Array(bodyBytes(draft)) : null,
    cache: "no-store",
    // The endpoint is public; the app's cookies are none of its business.
    credentials: "omit",
    // The endpoint answers a handler's redirect readable; anything else that redirects (a proxy
    // in between) must not take the page elsewhere.
    redirect: "error",
  });
  const echo = response.headers.get(REQUEST_ECHO_HEADER);
  // A handler's redirect, which the endpoint answered readable (a 200 saying its status).
  const redirected = Number(response.headers.get(REDIRECT_STATUS_HEADER));
  const platformOnly = new Set([REQUEST_ECHO_HEADER, REDIRECT_STATUS_HEADER]);
  return {
    response: {
      status: redirected >= 300 && redirected < 400 ? redirected : response.status,
      headers: [...response.headers].filter(([name]) => !platformOnly.has(name)),
      body: new Uint8Array(await response.arrayBuffer()),
    },
    requestHeaders: echo ? parseHeaders(decodeURIComponent(echo)) : null,
  };
}

/** A Run at edge's two answers, with how long each took (ms), or what failed, in words. */
export type EdgeComparison =
  | { phase: "done"; browser: WireResponse; edge: WireResponse; browserMs: number; edgeMs: number }
  | { phase: "failed"; message: string };

/**
 * Run at edge: the endpoint first, with the builder's request; then the handler in the browser
 * with exactly the headers the edge's handler got (the browser adds its own to any fetch), so a
 * handler that echoes them compares equal. `null` once `stillWanted` says the page moved on.
 */
export async function compareWithEdge(run: {
  endpoint: string;
  draft: RequestDraft;
  token: string | null;
  runInBrowser: (headers?: HeaderPair[]) => Promise<RunOutcome | null>;
  stillWanted: () => boolean;
}): Promise<EdgeComparison | null> {
  try {
    const edgeStarted = performance.now();
    const edge = await callEndpoint(run.endpoint, run.draft, run.token);
    const edgeMs = performance.now() - edgeStarted;
    if (!run.stillWanted()) return null;
    const outcome = await run.runInBrowser(edge.requestHeaders ?? undefined);
    if (!run.stillWanted()) return null;
    if (!outcome) throw new Error("The browser run did not finish");
    const { response: browser, durationMs: browserMs } = outcome;
    return { phase: "done", browser, edge: edge.response, browserMs, edgeMs };
  } catch (error) {
    return { phase: "failed", message: edgeFailureMessage(error) };
  }
}

function parseHeaders(json: string): HeaderPair[] | null {
  try {
    const parsed: unknown = JSON.parse(json);
    const pair = (item: unknown) =>
      Array.isArray(item) && item.length === 2 && item.every((part) => typeof part === "string");
    return Array.isArray(parsed) && parsed.every(pair) ? (parsed as HeaderPair[]) : null;
  } catch {
    return null;
  }
}
