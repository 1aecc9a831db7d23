/** What the address bar names: a new snippet (`/`), or a saved one (`/s/:id`, `/s/:id@N`). */
export type Route = { kind: "new" } | { kind: "snippet"; id: string; version: number | null };

const SNIPPET_PATH = /^\/s\/([A-Za-z0-9_-]+)(?:@([1-9][0-9]{0,8}))?\/?$/;

/** Reads a route from a location's pathname; anything unknown is a new snippet. */
export function parseRoute(pathname: string): Route {
  const match = SNIPPET_PATH.exec(pathname);
  if (!match?.[1]) return { kind: "new" };
  return { kind: "snippet", id: match[1], version: match[2] ? Number(match[2]) : null };
}

/** The pathname of a route. */
export function routePath(route: Route): string {
  if (route.kind === "new") return "/";
  return `/s/${route.id}${route.version ? `@${route.version}` : ""}`;
}
