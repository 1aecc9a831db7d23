/**
 * The outbound policy of snippet isolates (their `globalOutbound`): a function playground's users
 * expect `fetch("https://api.example.com/…")` to work, so public http(s) URLs are allowed, but
 * nothing that could reach the platform's own network: loopback, private, link-local and other
 * special addresses, `localhost` and single-label or `.local`/`.internal` names, and ports other
 * than the HTTP ports Workers may fetch in production (`address-policy.ts`). Each isolate also
 * gets a budget of subrequests per fixed window (a minute from its first subrequest, then the
 * next); in production `limits.subRequests` caps each invocation as well.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { BoundedCache } from "../../workers/bounded-cache.ts";
import { platformErrorResponse, wireToResponse } from "../../workers/http.ts";
import { outboundRefusal } from "./address-policy.ts";

// Re-exported: the policy itself lives apart from Workers imports so that Node can test it too.
export { outboundRefusal };

/** Subrequests one isolate may make per window (all its invocations together). */
export const OUTBOUND_BUDGET = { requests: 50, windowMs: 60_000 };

/**
 * Per-isolate subrequest counts in the current window. Bounded: one entry per isolate that
 * fetched within the last window, at most this many (the least recently used go first, and an
 * entry older than its window is a new window anyway).
 */
const usage = new BoundedCache<{ count: number }>({
  maxEntries: 10_000,
  maxWeight: 10_000,
  ttlMs: OUTBOUND_BUDGET.windowMs,
});

/** Counts one subrequest of `isolate`; false once it is over its budget for this window. */
export function withinBudget(isolate: string, now: number): boolean {
  const entry = usage.get(isolate, now);
  if (!entry) {
    usage.set(isolate, { count: 1 }, now);
    return true;
  }
  entry.count += 1;
  return entry.count <= OUTBOUND_BUDGET.requests;
}

/** What each isolate's `globalOutbound` is bound to (`props.isolate` names the isolate). */
export class OutboundGuard extends WorkerEntrypoint<Env, { isolate: string }> {
  override async fetch(request: Request): Promise<Response> {
    const refusal = outboundRefusal(new URL(request.url));
    if (refusal) return wireToResponse(platformErrorResponse(403, `fetch refused: ${refusal}`));
    if (!withinBudget(this.ctx.props.isolate, Date.now())) {
      const { requests, windowMs } = OUTBOUND_BUDGET;
      const message = `fetch refused: more than ${requests} subrequests in ${windowMs / 1000} s`;
      return wireToResponse(platformErrorResponse(429, message));
    }
    // Rebuilt from its parts rather than copied: the snippet's `cf` options (cache keys and TTLs,
    // resolve overrides, …) would apply with the app's zone settings, so they stay behind.
    // Redirects come back to the isolate, whose next hop passes through this check again.
    const { url, method, headers, body } = request;
    return fetch(url, { method, headers, body, redirect: "manual" });
  }

  /**
   * Raw TCP from a snippet (`connect()` from `cloudflare:sockets`) arrives here too. It is
   * refused: the address policy above is about HTTP URLs, and a socket could speak anything to
   * anyone. Closed at once, so the snippet's socket ends instead of hanging.
   */
  override async connect(socket: Socket): Promise<void> {
    await socket.close();
  }
}
