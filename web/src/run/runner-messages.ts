/**
 * Checks what the runner frame sends before the page acts on it. The runner runs untrusted code
 * and may have been taken over by it: a message is data to show, never something to call, and
 * anything that is not one of the `RunnerToPage` shapes is dropped.
 */
import { z } from "zod/mini";
import { RUNNER_MESSAGE_LIMITS as BOUNDS, LIMITS } from "../../../workers/limits.ts";
import type * as runnerProtocol from "../../../workers/runner-protocol.ts";
import type * as runtimeProtocol from "../../../workers/runtime-protocol.ts";
import { LANGUAGES } from "../../../workers/runtime-protocol.ts";

/**
 * What a run's message says when it passes one of the bounds below: the run then ends with that
 * (`oversizedOutcome`) instead of waiting for a result that will never be shown.
 */
const OVER = {
  body: `a response body over ${LIMITS.responseBodyBytes / (1024 * 1024)} MiB`,
  headers: `more than ${BOUNDS.headers} headers`,
  headerChars: `a header over ${BOUNDS.headerChars} characters`,
  logLines: `more than ${BOUNDS.logLines} log lines`,
  logLineChars: `a log line over ${BOUNDS.logLineChars} characters`,
  logChars: `log lines over ${BOUNDS.logChars} characters in all`,
  errorChars: `an exception over ${BOUNDS.errorChars} characters`,
};
const OVERSIZED: ReadonlySet<string> = new Set(Object.values(OVER));

const Language = z.enum(LANGUAGES as [runtimeProtocol.Language, ...runtimeProtocol.Language[]]);
const HeaderText = z.string().check(z.maxLength(BOUNDS.headerChars, OVER.headerChars));
const HeaderPair = z.tuple([HeaderText, HeaderText]);
const Headers = z.array(HeaderPair).check(z.maxLength(BOUNDS.headers, OVER.headers));
const Bytes = z.instanceof(Uint8Array);
const ErrorText = z.string().check(z.maxLength(BOUNDS.errorChars, OVER.errorChars));

const LogEntry = z.object({
  stream: z.enum(["stdout", "stderr"]),
  text: z.string().check(z.maxLength(BOUNDS.logLineChars, OVER.logLineChars)),
  at: z.number(),
});

const WireResponse = z.object({
  status: z.number().check(z.int(), z.gte(200), z.lte(599)),
  headers: Headers,
  body: Bytes.check(z.refine((bytes) => bytes.byteLength <= LIMITS.responseBodyBytes, OVER.body)),
});

const HandlerError = z.object({
  type: ErrorText,
  message: ErrorText,
  traceback: ErrorText,
  line: z.optional(z.number().check(z.int(), z.gte(1))),
});

const RunOutcome = z.object({
  response: WireResponse,
  logs: z.array(LogEntry).check(
    z.maxLength(BOUNDS.logLines, OVER.logLines),
    z.refine(
      (logs) => logs.reduce((chars, entry) => chars + entry.text.length, 0) <= BOUNDS.logChars,
      OVER.logChars,
    ),
  ),
  durationMs: z.number(),
  error: z.optional(HandlerError),
  stopped: z.optional(z.enum(["user", "budget"])),
  streamed: z.optional(z.literal(true)),
});

/** A loading stage's name ("Starting Python"): a few words, which the page shows as they are. */
const MAX_STAGE_CHARS = 200;

const RuntimeState = z.discriminatedUnion("phase", [
  z.object({
    phase: z.literal("loading"),
    progress: z.object({
      stage: z.string().check(z.maxLength(MAX_STAGE_CHARS)),
      fraction: z.optional(z.number().check(z.gte(0), z.lte(1))),
    }),
  }),
  z.object({ phase: z.literal("ready") }),
  z.object({ phase: z.literal("failed"), message: ErrorText }),
]);

const RunId = z.number().check(z.int(), z.gte(0));

/** A streamed response's head, or one chunk of its body (never more than the whole cap). */
const StreamPart = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("head"),
    status: z.number().check(z.int(), z.gte(200), z.lte(599)),
    headers: Headers,
  }),
  z.object({
    type: z.literal("chunk"),
    bytes: Bytes.check(z.refine((bytes) => bytes.byteLength <= LIMITS.responseBodyBytes)),
  }),
]);

/** More would not fit the problems line anyway (Python stops at its first syntax error). */
const MAX_PROBLEMS = 100;

const SyntaxProblem = z.object({
  line: z.number().check(z.int(), z.gte(1)),
  column: z.number().check(z.int(), z.gte(1)),
  message: z.string().check(z.maxLength(1000)),
});

/** A message from the runner frame, as the page accepts it. */
export const RunnerToPage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("progress"), language: Language, state: RuntimeState }),
  z.object({ type: z.literal("log"), runId: RunId, entry: LogEntry }),
  z.object({ type: z.literal("stream"), runId: RunId, part: StreamPart }),
  z.object({ type: z.literal("result"), runId: RunId, outcome: RunOutcome }),
  z.object({
    type: z.literal("checked"),
    checkId: RunId,
    problems: z.array(SyntaxProblem).check(z.maxLength(MAX_PROBLEMS)),
  }),
  z.object({ type: z.literal("pong"), pingId: RunId }),
]);

// The schema checks exactly the protocol's type: this line stops compiling if the two drift apart.
export type RunnerToPage = runnerProtocol.RunnerToPage & z.infer<typeof RunnerToPage>;
const sameShape: (message: z.infer<typeof RunnerToPage>) => runnerProtocol.RunnerToPage = (m) => m;
void sameShape;

/**
 * A run's `result` or `log` of the right shape that passes a bound: only a runner taken over by
 * its code sends one (an honest runner keeps within them), and the page shows none of it.
 */
export interface OversizedMessage {
  type: "oversized";
  runId: number;
  /** Which bound it passed, e.g. `a response body over 8 MiB`. */
  what: string;
}

/**
 * The message as a `RunnerToPage`; an `OversizedMessage` for a run's result or log line that is
 * too big to show; `null` when it is anything else.
 */
export function parseRunnerMessage(data: unknown): RunnerToPage | OversizedMessage | null {
  const parsed = RunnerToPage.safeParse(data);
  if (parsed.success) return parsed.data;
  const { issues } = parsed.error;
  if (!issues.every((issue) => OVERSIZED.has(issue.message))) return null;
  const { type, runId } = data as { type?: unknown; runId?: unknown };
  if ((type !== "result" && type !== "log") || !RunId.safeParse(runId).success) return null;
  return { type: "oversized", runId: runId as number, what: issues[0]?.message ?? "" };
}
