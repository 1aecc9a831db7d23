import { errorInBody } from "../../../workers/http.ts";
import type { HeaderPair, WireResponse } from "../../../workers/runtime-protocol.ts";

/**
 * A streamed response that a run ended before its end (the browser's time budget, Stop, the size
 * cap, or the handler's exception midway): what had arrived, and the answer the run ended with.
 */
export interface CutStream {
  /** The status and headers the stream started with, and the chunks received until the cut. */
  received: WireResponse;
  /** What the run answered instead (the platform's 503 or 502, the handler's 500). */
  ending: WireResponse;
  /** Why, in the ending's own words, e.g. `stopped: time budget exceeded`. */
  reason: string;
}

/**
 * Whether a run that started streaming (`head`, then `body` received) ended with something
 * else than that stream complete: then the chunks shown so far stay, with why it was cut. A
 * stream that ended well ends with exactly its head and the bytes received; anything else ended
 * it early (the platform's and the handler's error responses carry their own headers).
 */
export function streamCut(
  head: { status: number; headers: HeaderPair[] } | null,
  body: Uint8Array,
  ending: WireResponse,
): CutStream | null {
  if (!head) return null;
  const complete =
    ending.status === head.status &&
    ending.body.byteLength === body.byteLength &&
    JSON.stringify(ending.headers) === JSON.stringify(head.headers);
  if (complete) return null;
  return { received: { ...head, body }, ending, reason: endingReason(ending) };
}

/** The message of an error response (`{"error": {"type", "message"}}`), else its status. */
function endingReason(ending: WireResponse): string {
  const error = errorInBody(ending);
  if (error?.message === undefined) return `ended with ${ending.status}`;
  return error.type === "PlatformError" || error.type === undefined
    ? error.message
    : `${error.type}: ${error.message}`;
}
