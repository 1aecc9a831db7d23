/**
 * Checks what a snippet's isolate answered before anything of it is sent. The glue in the isolate
 * shares its realm with the snippet, which can patch any built-in the glue relies on (a handler
 * that redefines `TypedArray.prototype.byteLength` makes the glue's own size check pass on
 * 20 MiB), so nothing the isolate says about its response is taken on trust: the shape is checked
 * and the body measured here, in the parent's realm, whose built-ins the snippet cannot reach.
 */

import { LIMITS } from "../../workers/limits.ts";
import type { HeaderPair, WireResponse } from "../../workers/runtime-protocol.ts";

/** An isolate answer that fnpad will not send; the endpoint turns it into a 502. */
export class UnusableIsolateResponse extends Error {
  override name = "UnusableIsolateResponse";
}

function isHeaderPair(value: unknown): value is HeaderPair {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === "string" &&
    typeof value[1] === "string"
  );
}

/**
 * The response an isolate's `run` returned, rebuilt from checked plain data only (an RPC result
 * may hold stubs of functions or objects in the isolate; none of them is passed on or called).
 */
export function checkedIsolateResponse(response: unknown): WireResponse {
  if (typeof response !== "object" || response === null)
    throw new UnusableIsolateResponse("it returned no response");
  const { status, headers, body } = response as Partial<Record<keyof WireResponse, unknown>>;
  // The statuses the Response constructor accepts.
  if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599)
    throw new UnusableIsolateResponse("its response status is not an integer from 200 to 599");
  if (!Array.isArray(headers) || !headers.every(isHeaderPair))
    throw new UnusableIsolateResponse("its response headers are not pairs of strings");
  if (!(body instanceof Uint8Array))
    throw new UnusableIsolateResponse("its response body is not bytes");
  // `byteLength` of the parent's realm: the bytes actually received.
  if (body.byteLength > LIMITS.responseBodyBytes) {
    const megabytes = LIMITS.responseBodyBytes / (1024 * 1024);
    throw new UnusableIsolateResponse(
      `the handler's response body is ${body.byteLength} bytes, more than ${megabytes} MiB`,
    );
  }
  return { status, headers: headers.map(([name, value]) => [name, value]), body };
}
