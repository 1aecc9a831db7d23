/**
 * The runner: an opaque-origin document (`/runner`, sandboxed by its response's CSP; `boot.ts`
 * starts this module) that owns the language workers. Handlers run in those workers; whatever
 * they take over from there, the page's storage, DOM and edit tokens are on another origin. The
 * page and this frame exchange plain data (`PageToRunner` / `RunnerToPage`) and nothing callable.
 */

import type { PageToRunner, RunnerToPage, StopReason } from "../../../workers/runner-protocol.ts";
import type {
  HandlerEnv,
  Language,
  LogEntry,
  StreamPart,
} from "../../../workers/runtime-protocol.ts";
import { LANGUAGES } from "../../../workers/runtime-protocol.ts";
import { boundOutcome, RunLogs } from "./bound-run.ts";
import { acceptPythonFiles, python, runtimes } from "./runtimes.ts";

/** The page, whose frame the runner is. */
const page = parent;

function post(message: RunnerToPage): void {
  // The page's origin cannot be named from an opaque origin; the data is the runner's own anyway.
  page.postMessage(message, "*");
}

for (const language of LANGUAGES) {
  const client = runtimes[language];
  const report = () => post({ type: "progress", language, state: client.state });
  client.subscribe(report);
  report();
}

/** The language of each run in flight, so that `stop` reaches the right runtime. */
const running = new Map<number, Language>();

async function run(message: Extract<PageToRunner, { type: "run" }>): Promise<void> {
  const { runId, language, code, request, budgetMs } = message;
  // A page from before env existed sends none; anything but string values is not an env.
  const env = plainEnv(message.env);
  running.set(runId, language);
  try {
    // The page refuses more than its bounds: a run that prints a lot is shortened here instead.
    const streamed = new RunLogs();
    const onLog = (entry: LogEntry) => {
      const kept = streamed.keep(entry);
      if (kept) post({ type: "log", runId, entry: kept });
    };
    const onStream = (part: StreamPart) => post({ type: "stream", runId, part });
    const outcome = await runtimes[language].run(code, request, budgetMs, onLog, env, onStream);
    post({ type: "result", runId, outcome: boundOutcome(outcome) });
  } finally {
    running.delete(runId);
  }
}

function plainEnv(value: unknown): HandlerEnv {
  if (!value || typeof value !== "object") return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}

function stop(runId: number, reason: StopReason): void {
  const language = running.get(runId);
  if (language) runtimes[language].stop(reason);
}

/** The newest check asked for: older ones still waiting for their turn are dropped. */
let latestCheck = -1;

/** Checks Python syntax between runs, never during one (they share the interpreter). */
async function check(checkId: number, code: string): Promise<void> {
  latestCheck = checkId;
  const problems = await python.whenIdle(async (remote) =>
    checkId === latestCheck ? await remote.checkSyntax(code) : null,
  );
  if (problems && checkId === latestCheck) post({ type: "checked", checkId, problems });
}

addEventListener("message", (event: MessageEvent<PageToRunner>) => {
  // Only the page that embeds the runner gives orders.
  if (event.source !== page) return;
  const message = event.data;
  if (!message || typeof message !== "object") return;
  if (message.type === "run") void run(message);
  else if (message.type === "stop") stop(message.runId, message.reason);
  else if (message.type === "python-files") acceptPythonFiles(message.files);
  else if (message.type === "ping") post({ type: "pong", pingId: message.pingId });
  // A failed check (Python did not load) answers nothing; the page keeps what it showed.
  else if (message.type === "check") check(message.checkId, message.code).catch(() => {});
});
