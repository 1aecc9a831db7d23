import { formatSnippetRef, parseSnippetRef } from "../../workers/snippet-ref.ts";

/** What the address bar names: a new snippet (`/`), or a saved one (`/s/:id`, `/s/:id@N`). */
export type Route = { kind: "new" } | { kind: "snippet"; id: string; version: number | null };

/** An address that names nothing the app has (a mistyped or cut-off share link, say). */
export interface UnknownAddress {
  kind: "unknown";
  /** The pathname as it was. */
  path: string;
}

/**
 * What links pick up around them: a sentence's full stop, a closing bracket or quote from
 * Markdown or chat. No id or version ends so, so they are dropped rather than refused.
 */
const TRAILING_PUNCTUATION = /[.,;:!?)\]}>'"]+$/;

/** A new-form id (12 characters) in capitals, as typed from a slide: new ids are lower case. */
const UPPER_CASE_NEW_ID = /^[0-9A-Za-z]{12}(@|$)/;

/**
 * Reads a route from a location's pathname: `/` is a new snippet, `/s/:id[@N]` a saved one,
 * read generously (trailing punctuation dropped, a new-form id in any case); anything else is
 * an unknown address, which the page says it cannot open.
 */
export function parseRoute(pathname: string): Route | UnknownAddress {
  if (pathname === "/" || pathname === "") return { kind: "new" };
  const match = /^\/s\/([^/]+)\/?$/.exec(pathname);
  let written = match?.[1] ?? "";
  try {
    written = decodeURIComponent(written);
  } catch {
    // A malformed escape: read as written, which no id matches.
  }
  written = written.replace(TRAILING_PUNCTUATION, "");
  if (UPPER_CASE_NEW_ID.test(written)) written = written.toLowerCase();
  const ref = parseSnippetRef(written);
  return ref ? { kind: "snippet", ...ref } : { kind: "unknown", path: pathname };
}

/** The pathname of a route. */
export function routePath(route: Route): string {
  if (route.kind === "new") return "/";
  return `/s/${formatSnippetRef(route)}`;
}
