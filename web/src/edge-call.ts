import type { WireResponse } from "../../workers/protocol.ts";
import {
  bodyBytes,
  hasBody,
  headerPairs,
  pathAndQuery,
  type RequestDraft,
} from "./request-draft.ts";

/**
 * Sends the builder's request to a saved endpoint (same origin as the page) and returns its
 * response as the runtimes give theirs, so the two can be compared.
 */
export async function callEndpoint(
  endpointUrl: string,
  draft: RequestDraft,
): Promise<WireResponse> {
  const response = await fetch(`${endpointUrl}${pathAndQuery(draft)}`, {
    method: draft.method,
    headers: headerPairs(draft),
    body: hasBody(draft.method) ? new Uint8Array(bodyBytes(draft)) : null,
    cache: "no-store",
    // The endpoint is public; the app's cookies are none of its business.
    credentials: "omit",
  });
  return {
    status: response.status,
    headers: [...response.headers],
    body: new Uint8Array(await response.arrayBuffer()),
  };
}
