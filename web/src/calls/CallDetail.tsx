import type { CallRecord } from "../../../workers/call-log-types.ts";
import { redactedNames, replayBodyNote } from "./replay.ts";

interface Props {
  call: CallRecord;
  onReplay: () => void;
}

function bodySummary({ body }: CallRecord): string {
  if (body.bytes === null) return "not read (over the size limit)";
  if (body.bytes === 0) return "empty";
  if (body.text === undefined) return `${body.bytes.toLocaleString()} bytes, binary (not kept)`;
  const kept = new TextEncoder().encode(body.text).byteLength;
  return kept < body.bytes
    ? `${body.bytes.toLocaleString()} bytes (first ${kept.toLocaleString()} shown)`
    : `${body.bytes.toLocaleString()} bytes`;
}

/** One call: its request, a summary of the response, what the handler printed and its error. */
export function CallDetail({ call, onReplay }: Props) {
  const redacted = redactedNames(call);
  const bodyNote = replayBodyNote(call);
  return (
    <article class="call-detail" aria-label={`Call ${call.method} ${call.path}`}>
      <h3>Request</h3>
      <p class="call-line">
        <code>
          {call.method} {call.path}
          {call.query ? `?${call.query}` : ""}
        </code>{" "}
        <span class="hint">
          version {call.version}, {new Date(call.at).toLocaleString()}
        </span>
      </p>
      <dl class="call-headers">
        {call.headers.map(([name, value], index) => (
          <div key={index}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p class="hint">Body: {bodySummary(call)}</p>
      {call.body.text && <pre class="call-body">{call.body.text}</pre>}
      <h3>Response</h3>
      <p data-testid="call-response">
        <strong>{call.status}</strong> {call.contentType ?? "no content type"}
        {call.responseBytes !== null && `, ${call.responseBytes.toLocaleString()} bytes`}, in{" "}
        {call.durationMs.toFixed(1)} ms
        {call.errorSource && ` (error made by the ${call.errorSource})`}
      </p>
      <h3>Logs</h3>
      <div class="console-lines" role="log" data-testid="call-logs">
        {call.logs.length === 0 && !call.error && <p class="hint">Nothing printed.</p>}
        {call.logs.map((entry, index) => (
          <pre key={index} class={`log ${entry.stream}`} data-stream={entry.stream}>
            {entry.stream === "stderr" && <span class="tag">stderr </span>}
            {entry.text}
          </pre>
        ))}
        {call.logsDropped > 0 && <p class="hint">… {call.logsDropped} more lines not kept.</p>}
        {call.error && (
          <p class="exception">
            <strong>{call.error.type}</strong>: {call.error.message}
            {call.error.line !== undefined && ` (line ${call.error.line})`}
          </p>
        )}
      </div>
      <p>
        <button type="button" onClick={onReplay}>
          Replay in browser
        </button>{" "}
        {redacted.length > 0 && (
          <span class="hint">Replayed without the redacted {redacted.join(", ")}.</span>
        )}{" "}
        {bodyNote && (
          <span class="hint" data-testid="replay-body-note">
            {bodyNote}
          </span>
        )}
      </p>
    </article>
  );
}
