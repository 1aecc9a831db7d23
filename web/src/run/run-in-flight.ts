/**
 * A run the page waits on (`RunnerFrame.run`): where its log lines and its streamed response go,
 * kept within bounds the runner cannot pass. A runner taken over by its code may send anything,
 * so whatever it sends past them is dropped here; the run's result is checked on its own.
 */
import { LIMITS, RUNNER_MESSAGE_LIMITS } from "../../../workers/limits.ts";
import type { RunOutcome } from "../../../workers/runner-protocol.ts";
import type {
  Language,
  LogEntry,
  StreamPart,
  StreamSink,
} from "../../../workers/runtime-protocol.ts";

/** What a run starts with. */
export interface RunStart {
  runId: number;
  language: Language;
  /** When it started (`performance.now()`). */
  started: number;
  onLog: (entry: LogEntry) => void;
  onStream?: StreamSink;
  resolve: (outcome: RunOutcome) => void;
  /** Ends the run if no result comes in time. */
  watchdog: ReturnType<typeof setTimeout>;
}

export class RunInFlight {
  readonly runId: number;
  readonly language: Language;
  readonly started: number;
  readonly resolve: (outcome: RunOutcome) => void;
  watchdog: ReturnType<typeof setTimeout>;
  readonly #onLog: (entry: LogEntry) => void;
  readonly #onStream?: StreamSink;
  /** Log lines and their characters sent so far. */
  #logLines = 0;
  #logChars = 0;
  /** Whether the streamed response's head came, and the body's bytes so far. */
  #streamHead = false;
  #streamBytes = 0;

  constructor(start: RunStart) {
    this.runId = start.runId;
    this.language = start.language;
    this.started = start.started;
    this.resolve = start.resolve;
    this.watchdog = start.watchdog;
    this.#onLog = start.onLog;
    this.#onStream = start.onStream;
  }

  /** Passes a log line on while the run's lines and characters are within their bounds. */
  log(entry: LogEntry): void {
    this.#logLines += 1;
    this.#logChars += entry.text.length;
    const { logLines, logChars } = RUNNER_MESSAGE_LIMITS;
    if (this.#logLines <= logLines && this.#logChars <= logChars) this.#onLog(entry);
  }

  /**
   * Passes a streamed part on, in order and within bounds: a second head, a chunk before the
   * head, and bytes past the response size cap are dropped.
   */
  stream(part: StreamPart): void {
    if (part.type === "head") {
      if (this.#streamHead) return;
      this.#streamHead = true;
    } else {
      if (!this.#streamHead) return;
      this.#streamBytes += part.bytes.byteLength;
      if (this.#streamBytes > LIMITS.responseBodyBytes) return;
    }
    this.#onStream?.(part);
  }
}
