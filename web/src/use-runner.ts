import { useCallback, useRef, useState } from "preact/hooks";
import type { Language, LogEntry, WireRequest } from "../../workers/protocol.ts";
import type { RunOutcome } from "./runtime-client.ts";
import { runtimes } from "./runtimes.ts";

/** The state of the current or last run, as the panels show it. */
export interface RunView {
  running: boolean;
  /** The language of the run in progress (the one Stop applies to). */
  language: Language | null;
  /** Log lines: streamed while running, then the run's own complete list. */
  logs: LogEntry[];
  outcome: RunOutcome | null;
  /** Set when the runtime itself failed (e.g. Python could not load). */
  failure: string | null;
  /** How many runs have finished since the page opened. */
  finished: number;
}

const IDLE: RunView = {
  running: false,
  language: null,
  logs: [],
  outcome: null,
  failure: null,
  finished: 0,
};

/** Runs handlers one at a time through the language's runtime client. */
export function useRunner() {
  const [view, setView] = useState<RunView>(IDLE);
  const current = useRef<Language | null>(null);

  /** Runs the handler; resolves to the run's outcome, or `null` if a run was already going or it failed. */
  const run = useCallback(async (language: Language, code: string, request: WireRequest) => {
    if (current.current) return null;
    current.current = language;
    // The last response stays up (marked busy) until the new one arrives: no flash, less DOM work per run.
    setView((previous) => ({ ...previous, running: true, language, logs: [], failure: null }));
    // Streamed lines travel on their own MessagePort and may arrive after the result, which
    // already lists them all: once the run is over, late ones are dropped.
    let over = false;
    const onLog = (entry: LogEntry) => {
      if (!over) setView((previous) => ({ ...previous, logs: [...previous.logs, entry] }));
    };
    try {
      const outcome = await runtimes[language].run(code, request, onLog);
      over = true;
      setView((previous) => ({
        running: false,
        language: null,
        // A terminated worker leaves only the lines that were streamed before it went.
        logs: outcome.stopped && outcome.logs.length === 0 ? previous.logs : outcome.logs,
        outcome,
        failure: null,
        finished: previous.finished + 1,
      }));
      return outcome;
    } catch (error) {
      over = true;
      setView((previous) => ({
        ...previous,
        running: false,
        language: null,
        failure: String(error),
      }));
      return null;
    } finally {
      current.current = null;
    }
  }, []);

  const stop = useCallback(() => {
    if (current.current) runtimes[current.current].stop("user");
  }, []);

  return { view, run, stop };
}
