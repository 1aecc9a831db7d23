import { useLayoutEffect, useRef } from "preact/hooks";
import type { StopReason } from "../../../workers/runner-protocol.ts";
import type { HandlerError, LogEntry } from "../../../workers/runtime-protocol.ts";

interface Props {
  logs: LogEntry[];
  error: HandlerError | undefined;
  stopped: StopReason | undefined;
  /** Why a guard inside the runtime stopped the run (`guard-stop.ts`), when one did. */
  guardStop?: string | null;
  /** Moves the editor to a line of the user's code. */
  onRevealLine: (line: number) => void;
  /** The output is from code since changed (its lines may no longer be the editor's). */
  fromEarlierCode?: boolean;
}

/** What the handler printed, in order, stderr set apart; then its exception or why it was stopped. */
export function ConsolePanel(props: Props) {
  const { logs, error, stopped, guardStop, onRevealLine } = props;
  const panel = useRef<HTMLElement>(null);
  // Follow the output as it streams in, like a terminal: the newest line is what the author, or
  // a talk's audience, wants to see. An exception's headline (type, message, line) matters more
  // than the traceback under it, so it is brought to the top instead.
  useLayoutEffect(() => {
    const element = panel.current;
    if (!element) return;
    const headline = element.querySelector<HTMLElement>(".exception");
    if (!headline) {
      element.scrollTop = element.scrollHeight;
      return;
    }
    const heading = element.querySelector("h2")?.offsetHeight ?? 0;
    const offset = headline.getBoundingClientRect().top - element.getBoundingClientRect().top;
    element.scrollTop += offset - heading;
  }, [logs.length, error, stopped, guardStop]);
  return (
    <section ref={panel} class="panel console" aria-labelledby="console-title">
      <h2 id="console-title">Console</h2>
      {props.fromEarlierCode && (logs.length > 0 || error) && (
        <p class="hint stale-note" data-testid="console-stale">
          From earlier code.
        </p>
      )}
      <div class="console-lines" role="log" data-testid="console">
        {logs.length === 0 && !error && !stopped && !guardStop && (
          <p class="hint">Nothing printed.</p>
        )}
        {logs.map((entry, index) => (
          <pre key={index} class={`log ${entry.stream}`} data-stream={entry.stream}>
            {entry.stream === "stderr" && <span class="tag">stderr </span>}
            {entry.text}
          </pre>
        ))}
        {error && (
          <div class="exception" data-testid="exception">
            <p>
              <strong>{error.type}</strong>: <span class="exception-message">{error.message}</span>
              {error.line !== undefined && (
                <>
                  {" "}
                  <button type="button" class="link" onClick={() => onRevealLine(error.line ?? 1)}>
                    line {error.line}
                  </button>
                </>
              )}
            </p>
            {tracebackAddsTo(error) && <pre class="traceback">{error.traceback}</pre>}
          </div>
        )}
        {stopped && (
          <p class="stopped" data-testid="stopped">
            {stopped === "budget"
              ? "Stopped: the run took longer than its time budget."
              : "Stopped."}
          </p>
        )}
        {!stopped && guardStop && (
          <p class="stopped" data-testid="stopped">
            {guardStop}
          </p>
        )}
      </div>
    </section>
  );
}

/**
 * Whether the traceback says more than the headline above it: an error with no stack (a handler
 * that returned something fnpad cannot send, no handler found) has one that only repeats it.
 */
function tracebackAddsTo({ type, message, traceback }: HandlerError): boolean {
  const shown = traceback.trim();
  return shown !== "" && shown !== message.trim() && shown !== `${type}: ${message}`.trim();
}
