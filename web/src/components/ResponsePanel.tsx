import type { ComponentChildren } from "preact";
import type { WireResponse } from "../../../workers/runtime-protocol.ts";
import { ResponseBody } from "../lazy-panels.ts";
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
        <div class="last-response">
          <StatusLine response={streaming}>
            <span class="streaming" data-testid="streaming">
              streaming… {formatBytes(streaming.body.byteLength)}
            </span>
          </StatusLine>
          <HeadersTable response={streaming} />
          <ResponseBody response={streaming} />
        </div>
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
        <div class={running ? "last-response stale" : "last-response"}>
          {props.fromEarlierCode && !running && (
            <p class="hint stale-note" data-testid="response-stale">
              From earlier code: Run to see what this code answers.
            </p>
          )}
          <StatusLine response={response}>
            {durationMs !== null && <span class="duration">{formatDuration(durationMs)}</span>}
            {streamed && !cut && (
              <span class="duration" data-testid="streamed">
                streamed {formatBytes(response.body.byteLength)}
              </span>
            )}
          </StatusLine>
          {cut && (
            <p class="stream-cut" data-testid="stream-cut" role="status">
              Stream cut after {formatBytes(response.body.byteLength)}: {cut.reason} (the run ended
              with {cut.ending.status}; a client gets this much of the body, then the connection
              breaks off).
            </p>
          )}
          <HeadersTable response={response} />
          <ResponseBody response={response} />
        </div>
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

function StatusLine(props: { response: WireResponse; children: ComponentChildren }) {
  const { status } = props.response;
  return (
    <p class="status-line">
      <span class={`status status-${Math.floor(status / 100)}xx`} data-testid="status">
        {status}
      </span>
      {props.children}
    </p>
  );
}

function HeadersTable({ response }: { response: WireResponse }) {
  return (
    <details>
      <summary>Headers ({response.headers.length})</summary>
      <table class="headers">
        <tbody>
          {response.headers.map(([name, value], index) => (
            <tr key={index}>
              <th scope="row">{name}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

function formatDuration(ms: number): string {
  return ms < 10
    ? `${ms.toFixed(2)} ms`
    : ms < 1000
      ? `${Math.round(ms)} ms`
      : `${(ms / 1000).toFixed(2)} s`;
}
