/**
 * Keeps what the runner tells the page about a run within the page's bounds
 * (`RUNNER_MESSAGE_LIMITS`): a handler that prints without end, or prints or raises something
 * huge, still gets its result shown, shortened, where the page would refuse it as oversized.
 */
import { RUNNER_MESSAGE_LIMITS as BOUNDS } from "../../../workers/limits.ts";
import type { RunOutcome } from "../../../workers/runner-protocol.ts";
import type { LogEntry } from "../../../workers/runtime-protocol.ts";

/** Room kept for the line that says how many lines were dropped. */
const NOTE_CHARS = 100;
/** Room kept at the end of a shortened text for saying by how much. */
const TAIL_CHARS = 40;

/** `text`, cut to at most `max` characters, saying how many it lost. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = max - TAIL_CHARS;
  // Not between the two halves of a character outside the BMP (an emoji).
  if (/[\uD800-\uDBFF]/.test(text.charAt(kept - 1))) kept -= 1;
  return `${text.slice(0, kept)}… (${text.length - kept} more characters)`;
}

/** One run's log lines as the runner passes them on: shortened, and none past the run's budget. */
export class RunLogs {
  #lines = 0;
  #chars = 0;
  #dropped = 0;

  /** `entry` as it may be sent, or `null` once the run's budget is used up (it is counted then). */
  keep(entry: LogEntry): LogEntry | null {
    const text = shorten(entry.text, BOUNDS.logLineChars);
    const full = this.#lines + 1 >= BOUNDS.logLines;
    if (full || this.#chars + text.length > BOUNDS.logChars - NOTE_CHARS) {
      this.#dropped += 1;
      return null;
    }
    this.#lines += 1;
    this.#chars += text.length;
    return text === entry.text ? entry : { ...entry, text };
  }

  /** The line saying how many lines were dropped, when any were. */
  note(at: number): LogEntry | null {
    if (this.#dropped === 0) return null;
    const text = `… ${this.#dropped} more lines not shown (a run shows ${BOUNDS.logLines} lines, ${BOUNDS.logChars} characters)`;
    return { stream: "stderr", text, at };
  }
}

/** `outcome` within the page's bounds: its lines kept as `RunLogs` keeps them, its exception shortened. */
export function boundOutcome(outcome: RunOutcome): RunOutcome {
  const budget = new RunLogs();
  const logs = outcome.logs.flatMap((entry) => budget.keep(entry) ?? []);
  const note = budget.note(outcome.durationMs);
  if (note) logs.push(note);
  const { error } = outcome;
  if (!error) return { ...outcome, logs };
  const short = (text: string) => shorten(text, BOUNDS.errorChars);
  const bounded = {
    ...error,
    type: short(error.type),
    message: short(error.message),
    traceback: short(error.traceback),
  };
  return { ...outcome, logs, error: bounded };
}
