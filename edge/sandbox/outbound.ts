/**
 * The outbound policy of snippet isolates (their `globalOutbound`): a function playground's users
 * expect `fetch("https://api.example.com/…")` to work, so public http(s) URLs are allowed, but
 * nothing that could reach the platform's own network: loopback, private, link-local and other
 * special addresses, `localhost` and single-label or `.local`/`.internal` names, and ports other
 * than the HTTP ports Workers may fetch in production. Each isolate also gets a rolling budget of subrequests; in production
 * `limits.subRequests` caps each invocation as well.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { platformErrorResponse, wireToResponse } from "../../workers/http.ts";

/** Subrequests one isolate may make per window (all its invocations together). */
export const OUTBOUND_BUDGET = { requests: 50, windowMs: 60_000 };

/** The ports Cloudflare's own `fetch` reaches (https://developers.cloudflare.com/fundamentals/reference/network-ports/). */
const WEB_PORTS = new Set([
  "",
  "80",
  "8080",
  "8880",
  "2052",
  "2082",
  "2086",
  "2095",
  "443",
  "8443",
  "2053",
  "2083",
  "2087",
  "2096",
]);

/** Names never looked up: they mean "this machine" or "this network". */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/;

/** IPv4 ranges that are not the public internet (RFC 6890 and friends), as [first octets, prefix]. */
const IPV4_BLOCKS: [number[], number][] = [
  [[0], 8],
  [[10], 8],
  [[100, 64], 10],
  [[127], 8],
  [[169, 254], 16],
  [[172, 16], 12],
  [[192, 0, 0], 24],
  [[192, 168], 16],
  [[198, 18], 15],
  [[224], 4],
  [[240], 4],
];

function ipv4Blocked(octets: number[]): boolean {
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  return IPV4_BLOCKS.some(([start, prefix]) => {
    const base = [...start, 0, 0, 0, 0].slice(0, 4).reduce((sum, octet) => sum * 256 + octet, 0);
    const size = 2 ** (32 - prefix);
    return address >= base && address < base + size;
  });
}

/** IPv6 literals (URL hosts keep the brackets): only global unicast outside the special ranges. */
function ipv6Blocked(host: string): boolean {
  const address = host.slice(1, -1).toLowerCase();
  // ::ffff:a.b.c.d and friends embed an IPv4 address; the URL parser writes it as hex groups.
  if (address.includes("::ffff:") || address.startsWith("::")) return true;
  const first = Number.parseInt(address.split(":")[0] || "0", 16);
  const globalUnicast = first >= 0x2000 && first <= 0x3fff;
  return !globalUnicast || address.startsWith("2001:db8") || address.startsWith("2002:");
}

/** Why a snippet may not fetch `url`, or null if it may. */
export function outboundRefusal(url: URL): string | null {
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return `only http and https URLs may be fetched, not ${url.protocol}`;
  if (!WEB_PORTS.has(url.port)) return `port ${url.port} is not one of the web ports Workers fetch`;
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[")) return ipv6Blocked(host) ? `${host} is not a public address` : null;
  // The URL parser has already normalised every IPv4 spelling (`0x7f.1`, `2130706433`, …).
  const octets = host.split(".").map(Number);
  if (octets.length === 4 && octets.every((octet) => Number.isInteger(octet))) {
    return ipv4Blocked(octets) ? `${host} is not a public address` : null;
  }
  if (!host.includes(".") || LOCAL_NAME.test(host)) return `${host} is not a public host name`;
  return null;
}

/** Per-isolate subrequest counts in the current window; lives as long as this worker instance. */
const usage = new Map<string, { windowStart: number; count: number }>();

function withinBudget(isolate: string, now: number): boolean {
  const entry = usage.get(isolate);
  if (!entry || now - entry.windowStart >= OUTBOUND_BUDGET.windowMs) {
    usage.set(isolate, { windowStart: now, count: 1 });
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
    // Redirects come back to the isolate, whose next hop passes through this check again.
    return fetch(new Request(request, { redirect: "manual" }));
  }
}
