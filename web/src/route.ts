import { formatSnippetRef, parseSnippetRef } from "../../workers/snippet-ref.ts";

/** What the address bar names: a new snippet (`/`), or a saved one (`/s/:id`, `/s/:id@N`). */
export type Route = { kind: "new" } | { kind: "snippet"; id: string; version: number | null };

/** Reads a route from a location's pathname; anything unknown is a new snippet. */
export function parseRoute(pathname: string): Route {
  const match = /^\/s\/([^/]+)\/?$/.exec(pathname);
  const ref = match?.[1] ? parseSnippetRef(match[1]) : null;
  return ref ? { kind: "snippet", ...ref } : { kind: "new" };
}

/** The pathname of a route. */
export function routePath(route: Route): string {
  if (route.kind === "new") return "/";
  return `/s/${formatSnippetRef(route)}`;
}
