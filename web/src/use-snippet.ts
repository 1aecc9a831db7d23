import { useEffect, useMemo, useState } from "preact/hooks";
import { DeferredSession, type SessionActions } from "./snippet/deferred-session.ts";
import type { EditorBridge, RequestBridge, SnippetState } from "./snippet/session-ports.ts";
import { NOTHING_OPEN } from "./snippet/starting-state.ts";

export type { EditorBridge, Notice, RequestBridge } from "./snippet/session-ports.ts";

/** Said when the session's code could not be loaded (the page has to be loaded again). */
const NOT_LOADED =
  "Part of the page did not load, so snippets can't be opened or saved: reload the page.";

/**
 * The page's snippet session (`snippet/session.ts`, loaded once the page is usable:
 * `snippet/deferred-session.ts`), its state, and the address bar's back/forward.
 */
export function useSnippet(
  editor: EditorBridge,
  requestBuilder: RequestBridge,
): { session: SessionActions; state: SnippetState } {
  const session = useMemo(
    () => new DeferredSession(editor, requestBuilder),
    [editor, requestBuilder],
  );
  const [state, setState] = useState(NOTHING_OPEN);
  useEffect(() => {
    let active = true;
    let stop = () => {};
    session
      .start((next) => active && setState(next))
      .then(
        (stopping) => {
          if (active) stop = stopping;
          else stopping();
        },
        (error: unknown) => {
          console.error("The snippet session did not load:", error);
          if (active)
            setState((last) => ({ ...last, notice: { tone: "error", text: NOT_LOADED } }));
        },
      );
    return () => {
      active = false;
      stop();
    };
  }, [session]);
  return { session, state };
}
