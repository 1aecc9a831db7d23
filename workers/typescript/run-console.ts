/**
 * Console output of TypeScript handlers, to the log of the run it belongs to. The console's methods
 * are replaced once, for good, by ones that ask a `RunScope` which run the code now executing is
 * part of. Swapping the console per run, as fnpad once did, breaks when runs overlap (calls to one
 * version share their isolate at the edge): the second run's swap captured the first's, so its
 * lines went to the first run's log, and the console was left writing there once both had ended.
 */
import type { LogSink, LogStream } from "../runtime-protocol.ts";
import { formatConsoleArgs } from "./format.ts";

const CONSOLE_STREAMS: Record<string, LogStream> = {
  log: "stdout",
  info: "stdout",
  debug: "stdout",
  warn: "stderr",
  error: "stderr",
};

/** Where one run's console output goes; `write` is false once the run has ended. */
export interface RunLog {
  /** Adds a console call's arguments to the run's log; false when the run has ended. */
  write(stream: LogStream, args: unknown[]): boolean;
}

/** Which run the code executing now is part of. */
export interface RunScope {
  /** Calls `work` as part of the run that logs to `log`; what it goes on to do (awaits, callbacks) stays part of it. */
  within<T>(log: RunLog, work: () => T): T;
  /** The log of the run the executing code is part of, if any. */
  current(): RunLog | undefined;
}

let lastStarted: RunLog | undefined;

/**
 * The scope where one run goes at a time (a browser worker, the CLI): the code executing is part
 * of the run started last, by any runtime of this realm.
 */
export const lastStartedRun: RunScope = {
  within(log, work) {
    lastStarted = log;
    return work();
  },
  current: () => lastStarted,
};

/** The scope the console asks; set by `routeConsole`. */
let consoleScope: RunScope | undefined;

/**
 * Sends console output to the log of the run it belongs to, as `scope` tells (the realm's runtimes
 * share one scope); code outside any run, or in one that has ended, prints to the console as before.
 */
export function routeConsole(scope: RunScope): void {
  if (consoleScope === scope) return;
  // One console, one scope: a second one would take the first runtime's runs' output.
  if (consoleScope) throw new Error("the console is routed by another run scope already");
  consoleScope = scope;
  const target = console as unknown as Record<string, (...args: unknown[]) => void>;
  for (const [name, stream] of Object.entries(CONSOLE_STREAMS)) {
    const original = target[name];
    target[name] = (...args) => {
      if (consoleScope?.current()?.write(stream, args)) return;
      original?.apply(console, args);
    };
  }
}

/** A run's log, writing to `sink` with times since `started`, until `close` is called. */
export function openRunLog(sink: LogSink, started: number): { log: RunLog; close(): void } {
  let open = true;
  const log: RunLog = {
    write(stream, args) {
      if (!open) return false;
      sink({ stream, text: formatConsoleArgs(args), at: performance.now() - started });
      return true;
    },
  };
  return { log, close: () => (open = false) };
}
