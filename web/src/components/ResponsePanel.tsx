import type { ComponentChildren } from "preact";
import type { WireResponse } from "../../../workers/runtime-protocol.ts";
import { LastResponse } from "../lazy-panels.ts";
import type { CutStream } from "../run/stream-cut.ts";
import { RunTimer } from "./RunTimer.tsx";

interface Props {
  response: WireResponse | null;
  durationMs: number | null;
  running: boolean;
  /** While the run streams its body: the response so far, shown instead of the last one. */
  streaming: WireResponse | null;
  /** Whether `response` was streamed (its size is then shown beside the duration). */
  streamed: boolean;
  /** Set when `response` ended a stream early: the chunks that came are shown instead, with why. */
  cut: CutStream | null;
  /** Count of finished runs, exposed so scripts can wait for the next one. */
  finished: number;
  /** Why the last Run gave no response: its request could not be sent, or the runtime failed. */
  problem?: string | null;
  /** The code has changed since the run that made `response`. */
  fromEarlierCode?: boolean;
}

/** Status, duration, headers and body of the last run's response. */
export function ResponsePanel(props: Props) {
  const { durationMs, running, streaming, streamed, cut, finished } = props;
  // A cut stream shows what arrived (the status already sent, the chunks) and says why it ended.
  const response = cut?.received ?? props.response;
  if (running && streaming) {
    return (
      <Panel running finished={finished}>
        <LastResponse response={streaming} streaming />
      </Panel>
    );
  }
  return (
    <Panel running={running} finished={finished}>
      {running && <RunTimer />}
      {props.problem && !running && (
        <p class="failure" role="alert">
          {props.problem}
        </p>
      )}
      {response ? (
        // While a new run goes, the last response stays, dimmed, until the new one replaces it.
        <LastResponse
          response={response}
          stale={running}
          fromEarlierCode={props.fromEarlierCode}
          durationMs={durationMs}
          streamed={streamed}
          cut={cut}
        />
      ) : (
        !running &&
        !props.problem && (
          <p class="hint">
            Run the handler<span class="shortcut"> (Ctrl/Cmd+Enter)</span> to see its response.
          </p>
        )
      )}
    </Panel>
  );
}

function Panel(props: { running: boolean; finished: number; children: ComponentChildren }) {
  return (
    <section
      class="panel response"
      aria-labelledby="response-title"
      aria-busy={props.running}
      data-finished={props.finished}
    >
      <h2 id="response-title">Response</h2>
      {props.children}
    </section>
  );
}
