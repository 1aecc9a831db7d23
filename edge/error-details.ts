/**
 * What a caller other than the snippet's owner learns from an error when the snippet has env
 * values: its status, type and line, not its text. An error's message and traceback are
 * redacted against the env before they leave the isolate (`env-redact.ts`), but a caller who
 * chooses text that the handler quotes in an error (`int(request.query["n"])` quotes up to 200
 * characters) could send guesses and see which of them were replaced: pieces of a secret, read
 * out a character at a time (about 40 calls for a 25-character key that starts `sk_live_`). Any
 * visible difference leaks, so visitors get no error text at all; the owner gets the (redacted)
 * text with the edit token (Run at edge) and in the call log.
 */
import { errorInBody, handlerErrorResponse, platformErrorResponse } from "../workers/http.ts";
import { ERROR_SOURCE_HEADER } from "../workers/platform-headers.ts";
import type { HandlerEnv, WireResponse } from "../workers/runtime-protocol.ts";

/** What a visitor reads instead of an error's message. */
export const WITHHELD_MESSAGE =
  "The error's message is shown only to the snippet's owner (its call log, or a call with its " +
  "edit token): this snippet has env values, which an error's text could give away.";

/** Whether `env` holds any value a message could quote. */
export function hasEnvValues(env: HandlerEnv): boolean {
  return Object.values(env).some((value) => value !== "");
}

/** `response` as a visitor gets it: an error made in the isolate keeps its status, type and line only. */
export function withheldErrorText(response: WireResponse): WireResponse {
  const source = response.headers.find(([name]) => name.toLowerCase() === ERROR_SOURCE_HEADER)?.[1];
  if (source === undefined) return response;
  if (source !== "handler") return platformErrorResponse(response.status, WITHHELD_MESSAGE);
  const { type = "Error", line } = errorInBody(response) ?? {};
  return handlerErrorResponse({ type, message: WITHHELD_MESSAGE, traceback: "", line });
}
