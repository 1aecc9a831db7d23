/** Calling endpoints as distinct clients, and setting a snippet's rate limits, in workerd tests. */

import type { RateLimitsView } from "../../workers/api-types.ts";
import { RATE_LIMITS } from "../../workers/limits.ts";
import { OWNER_TOKEN_HEADER } from "../../workers/platform-headers.ts";
import type { Language } from "../../workers/runtime-protocol.ts";
import { api, createSnippet } from "./api-client.ts";
import { callEndpoint } from "./fn-client.ts";

/** A TypeScript handler that answers with the request headers it got, as JSON. */
export const HEADERS_HANDLER =
  "export default (req: Request) => Response.json(Object.fromEntries(req.headers));\n";

/** A new snippet whose handler echoes its request headers; its id and edit token. */
export function echoSnippet(): Promise<{ id: string; token: string }> {
  return createSnippet({ language: "typescript", code: HEADERS_HANDLER });
}

/** A GET of `/fn/<ref>/` from `ip`, as Cloudflare hands it over (`CF-Connecting-IP`). */
export function callFrom(ip: string, ref: string, headers: Record<string, string> = {}) {
  return callEndpoint(ref, "/", { headers: { "cf-connecting-ip": ip, ...headers } });
}

/** The owner's own call: the edit token in its header. */
export function callAsOwner(ip: string, ref: string, token: string) {
  return callFrom(ip, ref, { [OWNER_TOKEN_HEADER]: token });
}

/**
 * Calls one bucket may have gained back while `since` (a `Date.now()`) became now, at `perMinute`:
 * a test that sends a burst on a loaded machine may take longer than one refill.
 */
export function refillsSince(since: number, perMinute: number): number {
  return Math.floor((Date.now() - since) / (60_000 / perMinute));
}

/**
 * Calls `call` until it answers 429 (at most `max` times): the calls admitted before it, and the
 * refusal (null if none came).
 */
export async function untilRefused(
  call: () => Promise<Response>,
  max = 30,
): Promise<{ admitted: number; refused: Response | null }> {
  for (let admitted = 0; admitted < max; admitted += 1) {
    const response = await call();
    if (response.status === 429) return { admitted, refused: response };
    if (response.status !== 200) throw new Error(`answered ${response.status}, not 200 or 429`);
    await response.arrayBuffer();
  }
  return { admitted: max, refused: null };
}

/**
 * A client's burst: `burst` calls sent at once (their statuses, sorted), then more one by one until
 * one is refused. `extra` of those were admitted, which refills at `perMinute` must account for:
 * at most `refills` on a machine slow enough for the calls to take longer than one.
 */
export async function burstThenMore(
  call: () => Promise<Response>,
  burst: number,
  perMinute: number,
): Promise<{ statuses: number[]; extra: number; refills: number; refused: Response | null }> {
  const started = Date.now();
  const responses = await Promise.all(Array.from({ length: burst }, call));
  await Promise.all(responses.map((response) => response.arrayBuffer()));
  const statuses = responses.map((response) => response.status).sort();
  const { admitted, refused } = await untilRefused(call);
  return { statuses, extra: admitted, refills: refillsSince(started, perMinute), refused };
}

/** The statuses of `count` calls from `ip` sent at once, sorted. */
export async function burstFrom(ip: string, ref: string, count: number): Promise<number[]> {
  const calls = Array.from({ length: count }, () => callFrom(ip, ref));
  const responses = await Promise.all(calls);
  await Promise.all(responses.map((response) => response.arrayBuffer()));
  return responses.map((response) => response.status).sort();
}

/** `PUT /api/snippets/:id/limits` with `body`, as the owner (or with `token`). */
export function putLimits(id: string, token: string, body: unknown) {
  return api("PUT", `/api/snippets/${id}/limits`, { token, body });
}

/** Sets the limits and fails the test unless the API took them. */
export async function setLimits(id: string, token: string, body: unknown): Promise<void> {
  const response = await putLimits(id, token, body);
  if (response.status !== 200) throw new Error(`PUT limits: ${await response.text()}`);
}

export async function getLimits(id: string, token: string): Promise<RateLimitsView> {
  const response = await api("GET", `/api/snippets/${id}/limits`, { token });
  if (response.status !== 200) throw new Error(`GET limits: ${await response.text()}`);
  return response.json();
}

/** `count` times `status`. */
export const times = (count: number, status: number) => Array<number>(count).fill(status);

/**
 * Saves `code` as a snippet that a test calls many times from one client: its owner lifts the
 * limits to their bounds (the check still runs). Returns its id.
 */
export async function saveBusySnippet(language: Language, code: string): Promise<string> {
  const { id, token } = await createSnippet({ language, code });
  await setLimits(id, token, { perClient: RATE_LIMITS.max, perSnippet: RATE_LIMITS.max });
  return id;
}
