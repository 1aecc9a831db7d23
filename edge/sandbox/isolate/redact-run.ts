/**
 * The glue's last step before a run's answer leaves the isolate: the snippet's env values are
 * taken out of everything an error carries (its message and traceback in the 500 body any caller
 * reads, the error the call log gets, the error that ends a stream). A handler that fails on its
 * own secret (`int(env["KEY"])`, `JSON.parse(env.KEY)`) must not hand it to the public.
 */
import { ERROR_SOURCE_HEADER } from "../../../workers/platform-headers.ts";
import type { HandlerError, WireResponse } from "../../../workers/runtime-protocol.ts";
import type { HandlerStream, StreamingRun } from "../../../workers/stream.ts";
import type { EnvRedactor } from "../../env-redact.ts";

/** `run` with the env's values out of its error, its error response and its stream's end. */
export function redactRun(run: StreamingRun, redact: EnvRedactor): StreamingRun {
  const redacted: StreamingRun = { ...run, response: redactErrorResponse(run.response, redact) };
  if (run.error) redacted.error = redactError(run.error, redact);
  if (run.stream) redacted.stream = redactStream(run.stream, redact);
  return redacted;
}

function redactError(error: HandlerError, redact: EnvRedactor): HandlerError {
  const { type, message, traceback } = error;
  return { ...error, type: redact(type), message: redact(message), traceback: redact(traceback) };
}

/**
 * An error response's JSON body (the handler's 500, fnpad's own errors made in the isolate) with
 * every string in it redacted; any other response is the handler's own and passes untouched.
 */
function redactErrorResponse(response: WireResponse, redact: EnvRedactor): WireResponse {
  if (!response.headers.some(([name]) => name.toLowerCase() === ERROR_SOURCE_HEADER))
    return response;
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(response.body), (_key, value: unknown) =>
      typeof value === "string" ? redact(value) : value,
    );
  } catch {
    return response;
  }
  return { ...response, body: new TextEncoder().encode(JSON.stringify(body)) };
}

function redactStream(stream: HandlerStream, redact: EnvRedactor): HandlerStream {
  return {
    async next() {
      const step = await stream.next();
      return "done" in step && step.error
        ? { ...step, error: redactError(step.error, redact) }
        : step;
    },
    cancel: () => stream.cancel(),
  };
}
