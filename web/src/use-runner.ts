import { useCallback, useRef, useState } from "preact/hooks";
import { joinChunks } from "../../workers/bytes.ts";
import type { RunOutcome } from "../../workers/runner-protocol.ts";
import type {
  HandlerEnv,
  Language,
  LogEntry,
  StreamPart,
  WireRequest,
  WireResponse,
} from "../../workers/runtime-protocol.ts";
import { loadRunner, loadRunnerClient } from "./run/runner-start.ts";
import type { CutStream } from "./run/stream-cut.ts";

/** The state of the current or last run, as the panels show it. */
export interface RunView {
  running: boolean;
  /** The language of the run in progress (the one Stop applies to). */
  language: Language | null;
  /** Log lines: streamed while running, then the run's own complete list. */
  logs: LogEntry[];
  outcome: RunOutcome | null;
  /** While a run streams its body: the response so far (status, headers, the chunks joined). */
  streaming: WireResponse | null;
  /**
   * Set when the last run's stream was cut before its end: the chunks that arrived stay shown,
   * with why, rather than the error response it ended with (the run's `outcome.response`).
   */
  cut: CutStream | null;
  /** Set when a work guard stopped the last run inside its runtime: the console's line for it. */
  guardStop: string | null;
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
  streaming: null,
  cut: null,
  guardStop: null,
  failure: null,
  finished: 0,
};

/** How often the panel redraws a streaming body: chunks may come far faster than anyone reads. */
const STREAM_REDRAW_MS = 50;

/** How long a run goes before the page shows it as running (short enough that Stop seems at hand). */
const BUSY_DELAY_MS = 80;

/**
 * The run's outcome as a client receives it: a response to HEAD carries no body over HTTP (an
 * endpoint's, and so Run at edge's, never has one), so the browser run shows none either rather
 * than "differing in body" from the edge.
 */
function asReceived(request: WireRequest, outcome: RunOutcome): RunOutcome {
  if (request.method.toUpperCase() !== "HEAD" || outcome.response.body.byteLength === 0)
    return outcome;
  return { ...outcome, response: { ...outcome.response, body: new Uint8Array() } };
}

/** Runs handlers one at a time through the language's runtime client. */
export function useRunner() {
  const [view, setView] = useState<RunView>(IDLE);
  const current = useRef<Language | null>(null);

  /**
   * Runs `owner`'s handler (a snippet id, or `new`) with `env`; resolves to the run's outcome,
   * or `null` if a run was already going or it failed.
   */
  const run = useCallback(
    async (
      owner: string,
      language: Language,
      code: string,
      request: WireRequest,
      env: HandlerEnv = {},
    ) => {
      if (current.current) return null;
      current.current = language;
      // Streamed lines travel on their own MessagePort and may arrive after the result, which
      // already lists them all: once the run is over, late ones are dropped.
      let over = false;
      const streamed: LogEntry[] = [];
      const showRunning = () => {
        if (over) return;
        const logs = [...streamed];
        setView((previous) => ({ ...previous, running: true, language, logs, failure: null }));
      };
      const onLog = (entry: LogEntry) => {
        streamed.push(entry);
        showRunning();
      };
      // A streamed body is shown as it comes, redrawn at most every STREAM_REDRAW_MS.
      let head: Omit<WireResponse, "body"> | null = null;
      const chunks: Uint8Array[] = [];
      let size = 0;
      let redraw: ReturnType<typeof setTimeout> | undefined;
      const showStream = () => {
        redraw = undefined;
        if (over || !head) return;
        const streaming = { ...head, body: joinChunks(chunks, size) };
        setView((previous) => ({ ...previous, running: true, language, streaming }));
      };
      const onStream = (part: StreamPart) => {
        if (part.type === "head") head = { status: part.status, headers: part.headers };
        // A HEAD response's chunks never reach a client (see `asReceived`).
        else if (request.method.toUpperCase() === "HEAD") return;
        else {
          chunks.push(part.bytes);
          size += part.bytes.byteLength;
        }
        redraw ??= setTimeout(showStream, chunks.length <= 1 ? 0 : STREAM_REDRAW_MS);
      };
      // The call is posted first. The page only shows the run as busy (and offers Stop) once it
      // has taken a moment: a quick run goes straight to its result, with one render and no flash.
      // Until then the last response stays up.
      const client = loadRunnerClient();
      const outcome = client.then(({ runner }) =>
        runner.run(owner, language, code, request, onLog, env, onStream),
      );
      const busyTimer = setTimeout(showRunning, BUSY_DELAY_MS);
      try {
        const finished = asReceived(request, await outcome);
        const { guardStopNote, streamCut } = await client;
        over = true;
        setView((previous) => ({
          running: false,
          language: null,
          // A terminated worker leaves only the lines that were streamed before it went.
          logs: finished.stopped && finished.logs.length === 0 ? [...streamed] : finished.logs,
          outcome: finished,
          streaming: null,
          cut: streamCut(head, joinChunks(chunks, size), finished.response),
          guardStop: guardStopNote(finished.response),
          failure: null,
          finished: previous.finished + 1,
        }));
        return finished;
      } catch (error) {
        over = true;
        setView((previous) => ({
          ...previous,
          running: false,
          language: null,
          logs: [...streamed],
          streaming: null,
          cut: null,
          guardStop: null,
          failure: String(error),
        }));
        return null;
      } finally {
        clearTimeout(busyTimer);
        clearTimeout(redraw);
        current.current = null;
      }
    },
    [],
  );

  const stop = useCallback(() => {
    // A run asked for before the client loaded is posted first: the stop follows it.
    if (current.current) void loadRunner().then((runner) => runner.stop("user"));
  }, []);

  /** Forgets the last run's result (not one still going): a new snippet starts with none. */
  const clear = useCallback(() => {
    if (!current.current) setView(IDLE);
  }, []);

  return { view, run, stop, clear };
}
