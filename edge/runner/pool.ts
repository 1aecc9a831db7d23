/**
 * Which runner process a snippet goes to. Snippets are spread by a hash of their id, so that a
 * runaway stalls only its runner's share. A runner under suspicion (runs in flight and none
 * finished for a while, a call that just timed out or failed, or not heard from for a while) is
 * asked for its health first:
 * a runner whose thread is stuck cannot answer, and its snippets go to the next runner that can
 * while the supervisor replaces it. A call is never retried on another runner after it failed
 * itself: a handler that crashes its runner must not crash them all.
 */

import { fnv1a } from "../../workers/bytes.ts";
// A runner not heard from for `QUIET_MS` is checked before use: the supervisor may have recycled
// it meanwhile (a local round trip of a few ms, only after a quiet spell).
import { QUIET_MS } from "./limits.ts";

/** A runner with runs in flight and none finished for this long is suspect. */
const STALL_MS = 1_000;
/** A runner that timed out or failed stays suspect this long, unless its health check answers. */
const DOWN_MS = 10_000;
/** How long a health check may take, and how long its answer is believed. */
const HEALTH_MS = 500;

interface RunnerState {
  /** When a call last finished, or started while none was in flight. */
  progressAt: number;
  /** When it last answered a call or a health check. */
  heardAt: number;
  /** Suspect until then. */
  downUntil: number;
  /** The last health check, when the runner was suspect. */
  checkedAt: number;
  alive: boolean;
  /** The calls in flight, each marked once another overlapped it. */
  inFlight: Set<{ shared: boolean }>;
  /** A suspect's run has it to itself: other calls go elsewhere while it lasts. */
  exclusive: boolean;
}

const states = new Map<string, RunnerState>();

function stateOf(url: string): RunnerState {
  let state = states.get(url);
  if (!state) {
    state = {
      progressAt: 0,
      heardAt: 0,
      downUntil: 0,
      checkedAt: 0,
      alive: true,
      inFlight: new Set(),
      exclusive: false,
    };
    states.set(url, state);
  }
  return state;
}

/** Hash of `id` modulo `count`: which runner a snippet belongs to (stable across processes and restarts, so a snippet keeps its runner). */
export function runnerIndex(id: string, count: number): number {
  return fnv1a(id) % count;
}

function suspect(state: RunnerState, now: number): boolean {
  const stalled = state.inFlight.size > 0 && now - state.progressAt > STALL_MS;
  return now < state.downUntil || stalled || now - state.heardAt > QUIET_MS;
}

async function healthy(url: string, state: RunnerState): Promise<boolean> {
  const now = Date.now();
  if (now - state.checkedAt < HEALTH_MS) return state.alive;
  state.checkedAt = now;
  try {
    const answer = await fetch(`${url}/health`, { signal: AbortSignal.timeout(HEALTH_MS) });
    // A draining runner (about to be recycled) answers, but must get no new runs.
    const { draining } = answer.ok ? ((await answer.json()) as { draining?: boolean }) : {};
    state.alive = answer.ok && !draining;
  } catch {
    state.alive = false;
  }
  if (state.alive) {
    state.downUntil = 0;
    state.heardAt = Date.now();
  }
  return state.alive;
}

/** The runners in the order snippet `id` prefers them: its own by hash, then the next ones round. */
function* preferenceOrder(urls: readonly string[], id: string): Generator<[string, RunnerState]> {
  const first = runnerIndex(id, urls.length);
  for (let i = 0; i < urls.length; i += 1) {
    const url = urls[(first + i) % urls.length] as string;
    yield [url, stateOf(url)];
  }
}

/** Whether `url` may take a call now: not suspect, or a suspect whose health check answers. */
async function usable(url: string, state: RunnerState): Promise<boolean> {
  return !suspect(state, Date.now()) || (await healthy(url, state));
}

/** The runner for snippet `id`: its own by hash unless that one is stuck (or in `skip`), then the next usable one. */
export async function pickRunner(
  urls: readonly string[],
  id: string,
  skip: ReadonlySet<string> = new Set(),
): Promise<string> {
  for (const [url, state] of preferenceOrder(urls, id)) {
    if (skip.has(url) || state.exclusive) continue;
    if (await usable(url, state)) return url;
  }
  const own = urls[runnerIndex(id, urls.length)] as string;
  return skip.has(own) ? (urls.find((url) => !skip.has(url)) ?? own) : own;
}

/** How often `pickIdleRunner` looks again while every runner is busy. */
const IDLE_POLL_MS = 50;

/**
 * A runner with no call in flight that answers, for a suspect's run (`quarantine.ts`), which then
 * has it to itself (`startCall(url, true)`); its own by hash if that one is free. Waits up to
 * `waitMs` for one; null if none came free.
 */
export async function pickIdleRunner(
  urls: readonly string[],
  id: string,
  waitMs: number,
): Promise<string | null> {
  const until = Date.now() + waitMs;
  const idle = (state: RunnerState) => state.inFlight.size === 0 && !state.exclusive;
  for (;;) {
    for (const [url, state] of preferenceOrder(urls, id)) {
      // Checked again after the health check: another call may have taken it meanwhile.
      if (idle(state) && (await usable(url, state)) && idle(state)) return url;
    }
    if (Date.now() >= until) return null;
    await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
  }
}

/**
 * Whether `url` looks stuck already: runs in flight and nothing heard from it for a while (no
 * call finished, no health check answered), or a call that just timed out or failed. A run sent
 * to it then shares whatever holds it up, and its fate says nothing about its own code.
 *
 * A health check answered counts as much as a call finished: `pickRunner` checks a runner whose
 * calls look stalled before sending it more, and an answer means its thread is free. Calls in
 * flight that merely wait (a timer, a fetch) are slow, not stuck; judged by them alone, a caller
 * could start one, send its runaway a second later and have it held against nobody, every time.
 */
export function stalled(url: string, now = Date.now()): boolean {
  const state = stateOf(url);
  const lastWord = Math.max(state.progressAt, state.heardAt);
  return now < state.downUntil || (state.inFlight.size > 0 && now - lastWord > STALL_MS);
}

/**
 * Whether `url` was up just now: it answered a call or its health check within `QUIET_MS`, and
 * nothing failed there since. `pickRunner` gives a call such a runner unless every one is down.
 */
export function answering(url: string, now = Date.now()): boolean {
  const state = stateOf(url);
  return now - state.heardAt <= QUIET_MS && now >= state.downUntil;
}

/** Whether `url` answers its health check now (a runner that does not is stuck, or gone). */
export function answersHealth(url: string): Promise<boolean> {
  const state = stateOf(url);
  state.checkedAt = 0; // asked now, not from an earlier answer
  return healthy(url, state);
}

/** One call to a runner, from the pool's point of view. */
export interface RunnerCall {
  /** Call once, with how it ended. */
  end(outcome: "answered" | "failed"): void;
  /**
   * Whether another call was in flight on the same runner at any time during this one. When a
   * stuck runner fails several calls, only a call that had it to itself is known to be the one
   * that stuck it: the thread is one, and any of them may be spinning.
   */
  shared(): boolean;
}

/** Book-keeping around one call to `url`; an `exclusive` one keeps other calls off it meanwhile. */
export function startCall(url: string, exclusive = false): RunnerCall {
  const state = stateOf(url);
  if (exclusive) state.exclusive = true;
  if (state.inFlight.size === 0) state.progressAt = Date.now();
  const call = { shared: state.inFlight.size > 0 };
  for (const other of state.inFlight) other.shared = true;
  state.inFlight.add(call);
  return {
    shared: () => call.shared,
    end(outcome) {
      state.inFlight.delete(call);
      if (exclusive) state.exclusive = false;
      if (outcome === "answered") {
        state.progressAt = state.heardAt = Date.now();
        state.downUntil = 0;
      } else {
        // Still spinning, or its process died: suspect while the supervisor replaces it.
        state.downUntil = Date.now() + DOWN_MS;
        state.checkedAt = 0; // an earlier health answer no longer holds
      }
    },
  };
}
