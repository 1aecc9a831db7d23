import { useEffect, useMemo, useState } from "preact/hooks";
import * as api from "./api.ts";
import {
  type EditorBridge,
  type RequestBridge,
  SnippetSession,
  type SnippetState,
} from "./snippet/session.ts";
import { storage } from "./storage.ts";

export type { EditorBridge, Notice, RequestBridge } from "./snippet/session.ts";

/** The page's snippet session (`snippet/session.ts`), its state, and the address bar's back/forward. */
export function useSnippet(
  editor: EditorBridge,
  requestBuilder: RequestBridge,
): { session: SnippetSession; state: SnippetState } {
  const session = useMemo(
    () =>
      new SnippetSession({
        api,
        store: storage,
        editor,
        requestBuilder,
        address: {
          pathname: () => location.pathname,
          push: (pathname) => history.pushState(null, "", pathname),
          replace: (pathname) => history.replaceState(null, "", `${pathname}${location.search}`),
        },
      }),
    [editor, requestBuilder],
  );
  const [state, setState] = useState(session.state);
  useEffect(() => {
    const unsubscribe = session.subscribe(setState);
    void session.openAddress();
    const onPop = () => void session.openAddress();
    addEventListener("popstate", onPop);
    return () => {
      unsubscribe();
      removeEventListener("popstate", onPop);
    };
  }, [session]);
  return { session, state };
}
