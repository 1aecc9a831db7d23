import type { WireResponse } from "../../workers/runtime-protocol.ts";

/**
 * Headers the platform (the edge app, workerd, Cloudflare, the browser's fetch) adds or changes on
 * an endpoint's response; they say nothing about the handler, so comparisons leave them out.
 */
const PLATFORM_HEADERS = new Set([
  "alt-svc",
  "connection",
  "content-encoding",
  "content-length",
  "content-security-policy",
  "cross-origin-embedder-policy",
  "cross-origin-opener-policy",
  "cross-origin-resource-policy",
  "date",
  "keep-alive",
  "nel",
  "report-to",
  "server",
  "server-timing",
  "transfer-encoding",
  "vary",
  "x-content-type-options",
]);

export function isPlatformHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return PLATFORM_HEADERS.has(lower) || lower.startsWith("cf-");
}

/** The handler's headers by lower-case name, repeats joined with ", " as `fetch` joins them. */
export function handlerHeaders(response: WireResponse): Map<string, string> {
  const headers = new Map<string, string>();
  for (const [name, value] of response.headers) {
    const lower = name.toLowerCase();
    if (isPlatformHeader(lower)) continue;
    const before = headers.get(lower);
    headers.set(lower, before === undefined ? value : `${before}, ${value}`);
  }
  return new Map([...headers].sort(([a], [b]) => a.localeCompare(b)));
}

/** How two responses to the same request differ. */
export interface Differences {
  status: boolean;
  /** Names of the handler headers missing on one side or with different values. */
  headers: string[];
  body: boolean;
}

export function compareResponses(a: WireResponse, b: WireResponse): Differences {
  const headersA = handlerHeaders(a);
  const headersB = handlerHeaders(b);
  const names = new Set([...headersA.keys(), ...headersB.keys()]);
  return {
    status: a.status !== b.status,
    headers: [...names].filter((name) => headersA.get(name) !== headersB.get(name)).sort(),
    body: a.body.length !== b.body.length || a.body.some((byte, index) => byte !== b.body[index]),
  };
}

/** Whether the comparison found no difference at all. */
export function isSame(differences: Differences): boolean {
  return !differences.status && !differences.body && differences.headers.length === 0;
}
