/**
 * The TypeScript/JavaScript side of the handler contract (README.md), shared by the browser
 * worker and the edge isolate: calls the user's default export, applies the return-value rules,
 * captures console output and turns exceptions into the contract's 500 response.
 */
import {
  handlerErrorResponse,
  handlerTextBytes,
  headerPairs,
  jsonWireResponse,
  stoppedResponse,
  wireToRequest,
} from "../http.ts";
import type {
  HandlerEnv,
  HandlerError,
  LogSink,
  WireRequest,
  WireResponse,
} from "../runtime-protocol.ts";
import type { StreamingRun, StreamStep } from "../stream.ts";
import { HANDLER_SOURCE_URL } from "./compiled-names.ts";
import { formatConsoleArgs } from "./format.ts";
import { loopBudgetExceeded, WorkBudgetExceeded } from "./loop-guard.ts";
import { readResponseBody } from "./response-body.ts";
import { openRunLog, type RunScope } from "./run-console.ts";
import { ACCEPTED_FORMS, envWithExpressHint, hintFor } from "./teaching.ts";

/** The contract's return-value rules; a `Response` whose body is still being made streams. */
async function toWireResponse(value: unknown): Promise<WireResponse | StreamedResponse> {
  if (value instanceof Response) {
    const head = { status: value.status, headers: headerPairs(value.headers) };
    const body = await readResponseBody(value, stepError);
    return body instanceof Uint8Array ? { ...head, body } : { head, stream: body };
  }
  if (value === undefined || value === null)
    return { status: 204, headers: [], body: new Uint8Array() };
  if (typeof value === "string") {
    const headers: [string, string][] = [["content-type", "text/plain; charset=utf-8"]];
    return { status: 200, headers, body: handlerTextBytes(value) };
  }
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const view = value instanceof ArrayBuffer ? new Uint8Array(value) : value;
    const body = new Uint8Array(
      view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength),
    );
    return { status: 200, headers: [["content-type", "application/octet-stream"]], body };
  }
  if (typeof value === "object" || typeof value === "number" || typeof value === "boolean") {
    return jsonWireResponse(200, value);
  }
  throw new TypeError(`the handler returned a ${typeof value}, which fnpad cannot send`);
}

/**
 * The user's module in a stack frame: named by its `sourceURL` where the engine formats the stack,
 * by its data:/blob: URL where a custom `Error.prepareStackTrace` (e.g. Vitest's) does.
 */
const USER_MODULE_URL = new RegExp(
  `(?:${HANDLER_SOURCE_URL.replace(".", "\\.")}|data:text/javascript[^\\s)]*|blob:[^\\s)]*?)(?=:\\d+:\\d+\\)?$)`,
);

/** The stack up to the user's last frame (fnpad's frames below it are noise), named `handler.ts`. */
function userStack(error: Error): string {
  const lines = (error.stack ?? "")
    .split("\n")
    .map((line) => line.replace(USER_MODULE_URL, HANDLER_SOURCE_URL));
  const lastUserFrame = lines.findLastIndex((line) => USER_MODULE_URL.test(line));
  const kept = lastUserFrame >= 0 ? lines.slice(0, lastUserFrame + 1) : lines.slice(0, 1);
  const header = `${error.name}: ${error.message}`;
  return kept[0]?.startsWith(error.name) ? kept.join("\n") : [header, ...kept].join("\n");
}

/** The 1-based line of the innermost user frame in a `userStack`. */
function userLine(stack: string): number | undefined {
  const match = new RegExp(`${HANDLER_SOURCE_URL.replace(".", "\\.")}:(\\d+):\\d+`).exec(stack);
  return match?.[1] ? Number(match[1]) : undefined;
}

/**
 * Describes anything a handler threw; never throws itself. Describing runs user code at times (a
 * custom `Error.prepareStackTrace`, a `name` getter), which may throw, or be stopped by the work
 * guard; the run's outcome is then decided by the caller's budget check.
 */
export function describeJsError(thrown: unknown): HandlerError {
  try {
    return describeThrown(thrown);
  } catch {
    return {
      type: "Error",
      message: "the handler threw a value fnpad could not describe",
      traceback: "",
    };
  }
}

function describeThrown(thrown: unknown): HandlerError {
  if (!(thrown instanceof Error)) {
    return { type: "Error", message: `uncaught ${formatConsoleArgs([thrown])}`, traceback: "" };
  }
  const traceback = userStack(thrown);
  const message = `${thrown.message}${hintFor(thrown)}`;
  return { type: thrown.name, message, traceback, line: userLine(traceback) };
}

/** A response whose body the handler is still making. */
interface StreamedResponse {
  head: Omit<WireResponse, "body">;
  stream: NonNullable<StreamingRun["stream"]>;
}

/** How a stream that failed midway ends: stopped by the work guard, or the handler's error. */
function stepError(thrown: unknown) {
  if (loopBudgetExceeded() || thrown instanceof WorkBudgetExceeded)
    return { done: true, stopped: "work budget exceeded" } as const;
  return { done: true, error: describeJsError(thrown) } as const;
}

interface FetchStyleModule {
  fetch(request: Request, env: object, ctx: object): unknown;
}

/**
 * The user's handler, from either `export default function` or `export default { fetch }`. Both
 * get the snippet's env as their second argument (a function that takes one argument ignores it).
 */
function findHandler(userModule: unknown): (request: Request, env: HandlerEnv) => unknown {
  const exported = (userModule as { default?: unknown } | null)?.default;
  if (typeof exported === "function") {
    // `(req, env)`; an Express-style `(req, res)` gets the same object, whose `res.send(…)` explains.
    return (request, env) => exported(request, envWithExpressHint(env));
  }
  const fetchStyle = exported as Partial<FetchStyleModule> | undefined;
  if (typeof fetchStyle?.fetch === "function") {
    // `env` is the snippet's variables and secrets (no bindings); `waitUntil` work is not
    // awaited, and stops at its next tick once the run has ended (`loop-guard.ts`).
    const ctx = { waitUntil: (work: unknown) => Promise.resolve(work).catch(() => {}) };
    return (request, env) =>
      fetchStyle.fetch?.(request, env, { ...ctx, passThroughOnException() {} });
  }
  throw new TypeError(`no handler found. ${ACCEPTED_FORMS}`);
}

/**
 * Runs an imported handler module on one request with the snippet's `env` (a copy per run, so
 * what one run writes into it is gone for the next); never rejects for errors in user code. A
 * streamed body comes back as the result's `stream`, still to be read; console output goes to
 * the run's logs until it ended (`scope` tells which run a console call belongs to).
 */
export async function runTsHandler(
  userModule: unknown,
  request: WireRequest,
  scope: RunScope,
  onLog?: LogSink,
  env: HandlerEnv = {},
): Promise<StreamingRun> {
  const logs: StreamingRun["logs"] = [];
  const sink: LogSink = (entry) => {
    logs.push(entry);
    onLog?.(entry);
  };
  const started = performance.now();
  const { log, close: closeLog } = openRunLog(sink, started);
  let made: WireResponse | StreamedResponse;
  let error: HandlerError | undefined;
  try {
    made = await scope.within(log, async () =>
      toWireResponse(await findHandler(userModule)(wireToRequest(request), { ...env })),
    );
  } catch (thrown) {
    error = describeJsError(thrown);
    made = handlerErrorResponse(error);
  }
  const durationMs = performance.now() - started;
  // Also when the handler caught the guard's error and answered anyway, or describing its error
  // used up the budget.
  if (loopBudgetExceeded()) {
    closeLog();
    if ("stream" in made) made.stream.cancel();
    return { response: stoppedResponse("work budget exceeded"), logs, durationMs };
  }
  if (!("stream" in made)) {
    closeLog();
    return { response: made, logs, durationMs, ...(error ? { error } : {}) };
  }
  const { next, cancel } = made.stream;
  const stream = {
    async next(): Promise<StreamStep> {
      // The stream's source runs as part of this run, whoever reads it.
      let step = await scope.within(log, next);
      // A source that swallowed the guard's error may still hand chunks over: the stream ends here.
      if ("chunk" in step && loopBudgetExceeded()) {
        cancel();
        step = { done: true, stopped: "work budget exceeded" };
      }
      if ("done" in step) closeLog();
      return step;
    },
    cancel() {
      closeLog();
      scope.within(log, cancel);
    },
  };
  return { response: { ...made.head, body: new Uint8Array() }, logs, durationMs, stream };
}
