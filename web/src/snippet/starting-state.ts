import type { SnippetState } from "./session-ports.ts";

/** The state of a page that shows no saved snippet (a new one, before its first save). */
export const NO_SNIPPET: Omit<SnippetState, "route"> = {
  snippet: null,
  pinned: null,
  owned: false,
  busy: null,
  notice: null,
  versions: [],
  title: "",
  description: "",
};

/**
 * The page's state before its session has loaded (`deferred-session.ts`): nothing open. Its
 * `route` is a placeholder: the session reads the address bar's as it opens it, and nothing
 * before it looks at one (parsing it here would load the route's code before the page is usable).
 */
export const NOTHING_OPEN: SnippetState = { route: { kind: "new" }, ...NO_SNIPPET };
