/**
 * Checks what the runner frame sends before the page acts on it. The runner runs untrusted code
 * and may have been taken over by it: a message is data to show, never something to call, and
 * anything that is not one of the `RunnerToPage` shapes is dropped.
 */
import { z } from "zod/mini";
import { LIMITS } from "../../../workers/limits.ts";
import type * as runnerProtocol from "../../../workers/runner-protocol.ts";
import type * as runtimeProtocol from "../../../workers/runtime-protocol.ts";
import { LANGUAGES } from "../../../workers/runtime-protocol.ts";

const Language = z.enum(LANGUAGES as [runtimeProtocol.Language, ...runtimeProtocol.Language[]]);
const HeaderPair = z.tuple([z.string(), z.string()]);
const Bytes = z.instanceof(Uint8Array);

const LogEntry = z.object({
  stream: z.enum(["stdout", "stderr"]),
  text: z.string(),
  at: z.number(),
});

const WireResponse = z.object({
  status: z.number().check(z.int(), z.gte(200), z.lte(599)),
  headers: z.array(HeaderPair),
  body: Bytes,
});

const HandlerError = z.object({
  type: z.string(),
  message: z.string(),
  traceback: z.string(),
  line: z.optional(z.number().check(z.int(), z.gte(1))),
});

const RunOutcome = z.object({
  response: WireResponse,
  logs: z.array(LogEntry),
  durationMs: z.number(),
  error: z.optional(HandlerError),
  stopped: z.optional(z.enum(["user", "budget"])),
  streamed: z.optional(z.literal(true)),
});

const RuntimeState = z.discriminatedUnion("phase", [
  z.object({
    phase: z.literal("loading"),
    progress: z.object({
      stage: z.string(),
      fraction: z.optional(z.number().check(z.gte(0), z.lte(1))),
    }),
  }),
  z.object({ phase: z.literal("ready") }),
  z.object({ phase: z.literal("failed"), message: z.string() }),
]);

const RunId = z.number().check(z.int(), z.gte(0));

/** Most headers a streamed response's head may carry (a real response has a few dozen at most). */
const MAX_STREAM_HEADERS = 200;

/** A streamed response's head, or one chunk of its body (never more than the whole cap). */
const StreamPart = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("head"),
    status: z.number().check(z.int(), z.gte(200), z.lte(599)),
    headers: z.array(HeaderPair).check(z.maxLength(MAX_STREAM_HEADERS)),
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
]);

// The schema checks exactly the protocol's type: this line stops compiling if the two drift apart.
export type RunnerToPage = runnerProtocol.RunnerToPage & z.infer<typeof RunnerToPage>;
const sameShape: (message: z.infer<typeof RunnerToPage>) => runnerProtocol.RunnerToPage = (m) => m;
void sameShape;

/** The message as a `RunnerToPage`, or `null` when it is anything else. */
export function parseRunnerMessage(data: unknown): RunnerToPage | null {
  const parsed = RunnerToPage.safeParse(data);
  return parsed.success ? parsed.data : null;
}
