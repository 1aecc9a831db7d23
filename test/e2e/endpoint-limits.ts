/**
 * For tests and benchmarks that call one endpoint from one address (127.0.0.1) far more often than
 * a person would: the snippet's owner lifts its rate limits to their bounds, as any owner may.
 * The limits stay on, and the calls still pass through them.
 */
import { RATE_LIMITS } from "../../workers/limits.ts";

export async function liftLimits(base: string, id: string, token: string): Promise<void> {
  const response = await fetch(`${base}/api/snippets/${id}/limits`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ perClient: RATE_LIMITS.max, perSnippet: RATE_LIMITS.max }),
  });
  if (!response.ok) throw new Error(`PUT limits: ${response.status} ${await response.text()}`);
}
