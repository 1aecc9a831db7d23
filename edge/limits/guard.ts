/**
 * The burst protection in front of every `/fn/:id…` call. The owner's own calls (the edit token
 * in `OWNER_TOKEN_HEADER`) pass; everyone else's are counted against the snippet's limits in its
 * Durable Object, per client, per address and for everyone together, and answered `429` past them. Most repeat
 * calls are admitted from a lease the object handed out with an earlier one (`./lease.ts`).
 */
import ipaddr from "ipaddr.js";
import type { RateLimits } from "../../workers/api-types.ts";
import { fnv1a } from "../../workers/bytes.ts";
import { platformErrorResponse, wireToResponse } from "../../workers/http.ts";
import { RATE_LIMITS } from "../../workers/limits.ts";
import { OWNER_TOKEN_HEADER } from "../../workers/platform-headers.ts";
import { burstOf } from "../../workers/rate-limits.ts";
import { callLog } from "../calls/hook.ts";
import type { EndpointGuard } from "../db.ts";
import { tokenMatches } from "../tokens.ts";
import { ADDRESS_FACTOR, type Admission } from "./buckets.ts";
import { admitWithLease } from "./lease.ts";

/** The limits in force for a snippet: the owner's, else the defaults. */
export function limitsOf(guard: Pick<EndpointGuard, "clientLimit" | "snippetLimit">): RateLimits {
  return {
    perClient: guard.clientLimit ?? RATE_LIMITS.defaults.perClient,
    perSnippet: guard.snippetLimit ?? RATE_LIMITS.defaults.perSnippet,
  };
}

/**
 * Who a call counts against: as near to a device as the request tells, by the address Cloudflare
 * saw (`CF-Connecting-IP`, which a client cannot set; an IPv6 address by its /64, what one
 * subscriber gets, so hopping between its addresses gains nothing), its `User-Agent` and its
 * `Accept-Language`. The address alone would make a whole room one client: a venue's Wi-Fi shows
 * every phone in the audience as one address. Browsers' reduced User-Agents (every Chrome on
 * Android says `Android 10; K`, every iPhone on one iOS version says the same) still leave a room
 * a handful of clients, which is why the default per-client limit holds dozens at once. A script
 * that varies these headers counts as many clients, so every client behind one address is also
 * held together, at `ADDRESS_FACTOR` times a client's limit (`./buckets.ts`, which reads the
 * address back as the part before the first space). Without the address header (local tools)
 * the address is `unknown`.
 */
export function clientOf(request: Request): string {
  // Hashed: a short, stable stand-in (they run to hundreds of characters).
  const agent = fnv1a(
    `${request.headers.get("user-agent") ?? ""}\n${request.headers.get("accept-language") ?? ""}`,
  ).toString(36);
  return `${addressOf(request.headers.get("cf-connecting-ip") ?? "")} ${agent}`;
}

/** The client's address as `clientOf` counts it (an IPv6 address by its /64), or `unknown`. */
export function addressOf(sent: string): string {
  if (!ipaddr.isValid(sent)) return "unknown";
  const address = ipaddr.process(sent);
  if (address.kind() === "ipv4") return address.toString();
  const prefix = address.toByteArray().slice(0, 8);
  return `${ipaddr.fromByteArray([...prefix, 0, 0, 0, 0, 0, 0, 0, 0]).toString()}/64`;
}

/** Who may run the call: the snippet's owner (its edit token came with it), or anyone else. */
export type Caller = "owner" | "visitor";

/**
 * Who is calling when the call may run, else fnpad's answer to it: `403` for a wrong edit token,
 * `429` with `Retry-After` past a limit. A refused call never reaches the handler.
 */
export async function guardEndpoint(
  env: Env,
  request: Request,
  snippetId: string,
  guard: EndpointGuard,
): Promise<Caller | Response> {
  const token = request.headers.get(OWNER_TOKEN_HEADER);
  if (token !== null) {
    if (await tokenMatches(token.trim(), guard.tokenHash)) return "owner";
    const message = `The edit token in ${OWNER_TOKEN_HEADER} does not match snippet ${snippetId}`;
    return wireToResponse(platformErrorResponse(403, message));
  }
  const limits = limitsOf(guard);
  let admission: Admission;
  try {
    const client = clientOf(request);
    admission = await admitWithLease(snippetId, client, limits, (lease) =>
      callLog(env, snippetId).admit(client, limits, lease),
    );
  } catch (error) {
    // Closed, not open: an object too busy to count is what a flood looks like.
    console.error(`/fn/${snippetId}: the rate limiter failed:`, error);
    const wire = platformErrorResponse(503, "The endpoint's rate limiter did not answer: retry");
    wire.headers.push(["retry-after", "1"]);
    return wireToResponse(wire);
  }
  return admission.admitted ? "visitor" : tooManyCalls(admission, limits);
}

function tooManyCalls(refused: Exclude<Admission, { admitted: true }>, limits: RateLimits) {
  const perMinute = refused.byAddress ? limits.perClient * ADDRESS_FACTOR : limits[refused.limit];
  const who = refused.byAddress
    ? "from one address"
    : refused.limit === "perClient"
      ? "from one client"
      : "from everyone together";
  const message =
    `Too many calls to this endpoint ${who}: at most ${perMinute} a minute ` +
    `(${burstOf(perMinute)} at once). Retry after ${refused.retryAfterSeconds} s.`;
  const wire = platformErrorResponse(429, message);
  wire.headers.push(["retry-after", String(refused.retryAfterSeconds)]);
  return wireToResponse(wire);
}
