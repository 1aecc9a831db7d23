/** The arithmetic of an endpoint's rate limits, shared by the edge (which counts) and the page (which explains). */
import { RATE_LIMITS } from "./limits.ts";

/** How many calls a limit of `perMinute` lets through at once: its refill over `burstSeconds`, at least one. */
export function burstOf(perMinute: number): number {
  return Math.max(1, Math.floor((perMinute * RATE_LIMITS.burstSeconds) / 60));
}
