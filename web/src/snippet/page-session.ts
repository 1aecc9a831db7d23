import * as api from "../api.ts";
import { storage } from "../storage.ts";
import { SnippetSession } from "./session.ts";
import type { EditorBridge, RequestBridge } from "./session-ports.ts";

/** The page's session, on the page's own ports: the API, this browser's storage, the address bar. */
export function pageSession(editor: EditorBridge, requestBuilder: RequestBridge): SnippetSession {
  return new SnippetSession({
    api,
    store: storage,
    editor,
    requestBuilder,
    address: {
      pathname: () => location.pathname,
      push: (pathname) => history.pushState(null, "", pathname),
      replace: (pathname) => history.replaceState(null, "", `${pathname}${location.search}`),
    },
  });
}
