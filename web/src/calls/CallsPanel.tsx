import { useEffect, useRef, useState } from "preact/hooks";
import { closeDetailsOnEscape } from "../components/close-on-escape.ts";
import type { RequestDraft } from "../request-draft.ts";
import { CallDetail } from "./CallDetail.tsx";
import "./calls.css";
import { replayDraft } from "./replay.ts";
import { useCalls } from "./use-calls.ts";

/** Rows rendered at once; the rest wait behind "+N more", so a burst never renders hundreds. */
const SHOWN = 30;

interface Props {
  snippetId: string;
  /** The snippet's edit token: only its owner sees calls. */
  token: string;
  /** Loads a call's request (as the builder holds it) into the builder and runs it in the browser. */
  onReplay: (request: RequestDraft) => void;
  /** Presenting: the list starts open, so the room sees its calls come in (not just a count). */
  present: boolean;
}

const statusClass = (status: number) => (status >= 500 ? "bad" : status >= 400 ? "warn" : "ok");

/** Every call to the snippet's endpoint, live, for its owner; open one to see it and replay it. */
export function CallsPanel({ snippetId, token, onReplay, present }: Props) {
  const { calls, status } = useCalls(snippetId, token);
  // The panel is made anew when presenting starts or ends (it moves to the other column).
  const [open, setOpen] = useState(present);
  const [all, setAll] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  /** Set by "+N more", which goes once clicked: the focus moves to the first row it revealed. */
  const revealedFrom = useRef<number | null>(null);
  useEffect(() => {
    const first = revealedFrom.current;
    if (first === null || !all) return;
    revealedFrom.current = null;
    list.current?.querySelectorAll<HTMLButtonElement>(".call-row")[first]?.focus();
  }, [all]);
  const [selected, setSelected] = useState<number | null>(null);
  const detail = useRef<HTMLDivElement>(null);
  // An opened call's detail comes below the list, often below the fold of its column.
  useEffect(() => {
    if (selected !== null) detail.current?.scrollIntoView({ block: "nearest" });
  }, [selected]);
  const shown = all ? calls : calls.slice(0, SHOWN);
  const chosen = calls.find((call) => call.seq === selected) ?? null;
  return (
    <section class="panel calls" aria-labelledby="calls-title" data-status={status}>
      <details
        open={open}
        onToggle={(event) => setOpen(event.currentTarget.open)}
        onKeyDown={closeDetailsOnEscape}
      >
        <summary>
          <h2 id="calls-title">
            Calls (<span data-testid="calls-count">{calls.length}</span>)
          </h2>{" "}
          <span class="hint calls-status">
            {status === "live" ? "live" : status === "failed" ? "could not load" : status}
          </span>
        </summary>
        {open && (
          <>
            {calls.length === 0 && (
              <p class="hint">No calls yet: call the endpoint (Copy as curl) and they show here.</p>
            )}
            <ol class="call-list" ref={list}>
              {shown.map((call) => (
                <li key={call.seq}>
                  <button
                    type="button"
                    class="call-row"
                    aria-expanded={call.seq === selected}
                    data-testid="call-row"
                    onClick={() => setSelected(call.seq === selected ? null : call.seq)}
                  >
                    <span class="call-method">{call.method}</span>
                    <span class="call-path">
                      {call.path}
                      {call.query ? `?${call.query}` : ""}
                    </span>
                    <span class={`call-status ${statusClass(call.status)}`}>{call.status}</span>
                    <span class="call-duration">{call.durationMs.toFixed(0)} ms</span>
                    <time dateTime={call.at}>{new Date(call.at).toLocaleTimeString()}</time>
                  </button>
                </li>
              ))}
            </ol>
            {calls.length > shown.length && (
              <button
                type="button"
                class="link"
                onClick={() => {
                  revealedFrom.current = shown.length;
                  setAll(true);
                }}
              >
                +{calls.length - shown.length} more
              </button>
            )}
            <div ref={detail}>
              {chosen && (
                <CallDetail call={chosen} onReplay={() => onReplay(replayDraft(chosen))} />
              )}
            </div>
          </>
        )}
      </details>
    </section>
  );
}
