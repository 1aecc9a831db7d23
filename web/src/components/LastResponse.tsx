/**
 * A run's response as the response panel shows it: status, duration, headers and body. Loaded
 * after the page is usable (`lazy-panels.ts`): a first screen has no response to show.
 */
import type { ComponentChildren } from "preact";
import type { WireResponse } from "../../../workers/runtime-protocol.ts";
import type { CutStream } from "../run/stream-cut.ts";
import { ResponseBody } from "./ResponseBody.tsx";

interface Props {
  response: WireResponse;
  /** The run is still streaming this body: its size so far is shown. */
  streaming?: boolean;
  /** A new run is going: this is the last response, dimmed until the new one replaces it. */
  stale?: boolean;
  /** The code has changed since the run that made it. */
  fromEarlierCode?: boolean;
  durationMs?: number | null;
  /** Whether it was streamed (its size is then shown beside the duration). */
  streamed?: boolean;
  /** Set when it ended a stream early: what arrived is shown, with why. */
  cut?: CutStream | null;
}

export function LastResponse(props: Props) {
  const { response, durationMs = null, cut = null } = props;
  if (props.streaming) {
    return (
      <div class="last-response">
        <StatusLine response={response}>
          <span class="streaming" data-testid="streaming">
            streaming… {formatBytes(response.body.byteLength)}
          </span>
        </StatusLine>
        <HeadersTable response={response} />
        <ResponseBody response={response} />
      </div>
    );
  }
  return (
    <div class={props.stale ? "last-response stale" : "last-response"}>
      {props.fromEarlierCode && !props.stale && (
        <p class="hint stale-note" data-testid="response-stale">
          From earlier code: Run to see what this code answers.
        </p>
      )}
      <StatusLine response={response}>
        {durationMs !== null && <span class="duration">{formatDuration(durationMs)}</span>}
        {props.streamed && !cut && (
          <span class="duration" data-testid="streamed">
            streamed {formatBytes(response.body.byteLength)}
          </span>
        )}
      </StatusLine>
      {cut && (
        <p class="stream-cut" data-testid="stream-cut" role="status">
          Stream cut after {formatBytes(response.body.byteLength)}: {cut.reason} (the run ended with{" "}
          {cut.ending.status}; a client gets this much of the body, then the connection breaks off).
        </p>
      )}
      <HeadersTable response={response} />
      <ResponseBody response={response} />
    </div>
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
