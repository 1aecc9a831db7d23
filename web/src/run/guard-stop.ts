/**
 * Why a run was stopped inside its runtime, for the console: the work guard (TypeScript's tick
 * budget, Python's interrupt count) answers `503 stopped: …` itself, and without a line in the
 * console a stopped loop looked like a result with no explanation.
 */
import { errorInBody, headerValue, STOPPED_STATUS } from "../../../workers/http.ts";
import { ERROR_SOURCE_HEADER } from "../../../workers/platform-headers.ts";
import type { WireResponse } from "../../../workers/runtime-protocol.ts";

const STOPPED_PREFIX = "stopped: ";

/** The console's line for `response` when a guard stopped the run, else `null`. */
export function guardStopNote(response: WireResponse | undefined): string | null {
  if (response?.status !== STOPPED_STATUS) return null;
  if (headerValue(response, ERROR_SOURCE_HEADER) !== "platform") return null;
  const message = errorInBody(response)?.message;
  if (!message?.startsWith(STOPPED_PREFIX)) return null;
  return `Stopped: ${message.slice(STOPPED_PREFIX.length)} (a loop, recursion or promise chain that goes on too long is cut short).`;
}
