/**
 * Which runner process a snippet goes to. Snippets are spread by a hash of their id, so that a
 * runaway stalls only its runner's share; and a runner that looks stuck (runs in flight, none
 * finished for a while) or that just failed is passed over for the next one, so that the other
 * snippets keep answering while the supervisor replaces it. A snippet never retries on another
 * runner after its own call failed: a handler that crashes its runner must not crash them all.
 */

/** A runner with runs in flight and none finished for this long is passed over. */
const STALL_MS = 1_000;
/** A runner that timed out or failed is passed over this long (a replacement takes a few seconds). */
const DOWN_MS = 10_000;

interface RunnerState {
  /** Calls in flight. */
  running: number;
  /** When a call last finished, or started while none was in flight. */
  progressAt: number;
  /** Passed over until then (it timed out or refused a connection). */
  downUntil: number;
}

const states = new Map<string, RunnerState>();

function stateOf(url: string): RunnerState {
  let state = states.get(url);
  if (!state) {
    state = { running: 0, progressAt: 0, downUntil: 0 };
    states.set(url, state);
  }
  return state;
}

/** FNV-1a: stable across processes and restarts, so a snippet keeps its runner. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function usable(state: RunnerState, now: number): boolean {
  const stalled = state.running > 0 && now - state.progressAt > STALL_MS;
  return now >= state.downUntil && !stalled;
}

/** The runner for snippet `id`: its own by hash, or the next usable one. */
export function pickRunner(urls: readonly string[], id: string, now = Date.now()): string {
  const first = hash(id) % urls.length;
  for (let i = 0; i < urls.length; i += 1) {
    const url = urls[(first + i) % urls.length] as string;
    if (usable(stateOf(url), now)) return url;
  }
  return urls[first] as string;
}

/** Book-keeping around one call to `url`: call `done` with how it ended. */
export function startCall(url: string): (outcome: "answered" | "failed") => void {
  const state = stateOf(url);
  if (state.running === 0) state.progressAt = Date.now();
  state.running += 1;
  return (outcome) => {
    state.running -= 1;
    const now = Date.now();
    if (outcome === "answered") {
      state.progressAt = now;
      state.downUntil = 0;
    } else {
      // Still spinning, or its process died: pass it over while the supervisor replaces it.
      state.downUntil = now + DOWN_MS;
    }
  };
}

/** Hash of `id` modulo `count`: which runner a snippet belongs to (tests pick snippets by it). */
export function runnerIndex(id: string, count: number): number {
  return hash(id) % count;
}
