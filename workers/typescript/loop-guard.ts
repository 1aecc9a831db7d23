/**
 * The work guard's runtime half: the global tick function that compiled handler code calls at
 * every loop iteration and function entry (`compile.ts` inserts the calls), and the per-run
 * budget it counts against. Kept apart from the compiler so that the edge isolate, which runs
 * code compiled at save time, carries the guard without sucrase and acorn.
 */
import { LOOP_TICK } from "./compiled-names.ts";

/**
 * Ticks a run may make by default: one per loop iteration or function call, so about half a
 * second of a tight loop and about a second of `fib` on a laptop (production's `cpuMs` for
 * TypeScript is 1000). Ordinary handlers use a tiny part of it: a million-element map, sort or
 * loop with a few helper calls each is a few million ticks.
 */
export const DEFAULT_MAX_TICKS = 200_000_000;

/**
 * What one microtask turn that runs user code adds to the count. A chain like
 * `const spin = () => Promise.resolve().then(spin)` makes one call per turn, but each turn costs
 * about 100 times a loop tick and keeps ~100 bytes alive (every promise of the chain waits on the
 * next), so counted as a single tick it would run for a minute and take gigabytes before being
 * stopped. At this weight the default budget allows 500,000 sequential turns (~0.1 s, ~50 MB);
 * turns that are queued together (`Promise.all` over many items) count once.
 */
export const MICROTASK_TURN_TICKS = 400;

/** Thrown by the work guard once a run has used up its work budget. */
export class WorkBudgetExceeded extends Error {
  override name = "WorkBudgetExceeded";
}

/**
 * The budget of the runs going now. Runs that overlap (calls to one version share its isolate at
 * the edge) share one pool: each run adds `maxTicks` to it as it starts; as one ends, the pool
 * keeps no more than a share for each run still going beyond what has been used. Counting each
 * run's own ticks would mean asking which run every tick belongs to, which costs more than the
 * tick itself; a shared pool cannot stop a run that stays within its share, nor reset another's
 * count, as resetting the count at each start did, and never holds more than a share per run going.
 */
const loopBudget = {
  ticks: 0,
  limit: 0,
  maxTicks: DEFAULT_MAX_TICKS,
  turnCounted: false,
  runs: 0,
};

/**
 * How long a run counts as going at most. Every run ends well before (the edge's deadline and
 * stream limit, 20 s; the browser's time budget, 5 s), except one whose end never comes: a
 * handler awaiting a promise that never settles. Counted for ever, it kept a share in the pool
 * and kept "no run in progress" from stopping work left behind by later calls.
 */
export const RUN_LIFETIME_MS = 60_000;

/** The runs going now, by when each started. */
const going = new Set<{ startedAt: number }>();

/** Takes the runs in `going` out of the count (ended, or past their lifetime), and their shares out of the pool. */
function settle(now: number): void {
  for (const run of going) if (now - run.startedAt > RUN_LIFETIME_MS) going.delete(run);
  loopBudget.runs = going.size;
  loopBudget.limit = Math.min(
    loopBudget.limit,
    loopBudget.ticks + loopBudget.runs * loopBudget.maxTicks,
  );
}

/**
 * Taken when this module loads, before any snippet's: a handler that replaced the global (with a
 * function that queues nothing) left the turn counted forever, and its microtask chains ran 400
 * times as long before the guard stopped them.
 */
const enqueueMicrotask = queueMicrotask.bind(globalThis);

/** Called by a microtask queued behind the current turn: the next tick starts a new turn. */
function endTurn(): void {
  loopBudget.turnCounted = false;
}

/** Sets the per-run work budget and defines the global tick function compiled code calls. */
export function installLoopGuard(maxTicks: number = DEFAULT_MAX_TICKS): void {
  loopBudget.maxTicks = maxTicks;
  if (LOOP_TICK in globalThis) return;
  // Not writable: a snippet must not be able to switch its own guard off.
  Object.defineProperty(globalThis, LOOP_TICK, {
    value: () => {
      // No run going: this is work a handler left behind its response (a loop in `waitUntil`,
      // a timer chain), which nobody waits for and no deadline covers. It ends here.
      if (loopBudget.runs === 0) throw new WorkBudgetExceeded("no run in progress");
      if (!loopBudget.turnCounted) {
        loopBudget.turnCounted = true;
        loopBudget.ticks += MICROTASK_TURN_TICKS;
        enqueueMicrotask(endTurn);
      }
      // Past the budget every tick throws, not just the first: a handler that catches the error
      // cannot go on, since its next loop iteration or call (a `catch` that retries, a `.catch`
      // callback that restarts a chain) throws again.
      if (++loopBudget.ticks > loopBudget.limit) {
        throw new WorkBudgetExceeded("work budget exceeded");
      }
    },
  });
}

/**
 * Marks a run as started (its module's evaluation included), with its work budget: compiled code
 * ticks only while a run is going. Returns the function that marks it ended (once its response
 * and stream are done).
 */
export function runStarted(): () => void {
  const run = { startedAt: Date.now() };
  settle(run.startedAt);
  if (loopBudget.runs === 0) {
    loopBudget.ticks = 0;
    loopBudget.limit = 0;
  }
  going.add(run);
  loopBudget.runs = going.size;
  loopBudget.limit += loopBudget.maxTicks;
  return () => {
    if (going.delete(run)) settle(Date.now());
  };
}

/** Whether the runs going now went over their work budget (even if the handler caught the error). */
export function loopBudgetExceeded(): boolean {
  return loopBudget.ticks > loopBudget.limit;
}

// Compiled modules may run loops and calls at their top level, so the guard exists as soon as this loads.
installLoopGuard();
