/**
 * Timers a handler leaves behind end with its run. At the edge a request's timers go with it
 * (workerd cancels what is pending once the response is out); a Web Worker would keep them, so a
 * `setInterval` from one run would go on printing into the next run's console, and changing what
 * the next run sees. The TypeScript worker installs this on its global scope; the runtime calls
 * `endRun` once a run's response (a streamed body included) is complete.
 */

/** A timer's id: a number in browsers, an object in Node. */
type TimerId = unknown;
type SetTimer = (handler: unknown, ms?: number, ...args: unknown[]) => TimerId;
type ClearTimer = (id?: TimerId) => void;

/** The timer functions of a global scope, loosely typed: the DOM's and Node's typings differ. */
interface TimerScope {
  setTimeout: SetTimer;
  setInterval: SetTimer;
  clearTimeout: ClearTimer;
  clearInterval: ClearTimer;
}

export class RunTimers {
  readonly #pending = new Set<TimerId>();
  readonly #clearTimeout: ClearTimer;
  readonly #clearInterval: ClearTimer;

  /** Wraps `global`'s timer functions so that every timer set from now on is known until it ends. */
  constructor(global: object) {
    const scope = global as TimerScope;
    const { setTimeout: set, setInterval: repeat } = scope;
    this.#clearTimeout = scope.clearTimeout.bind(scope);
    this.#clearInterval = scope.clearInterval.bind(scope);
    const pending = this.#pending;
    scope.setTimeout = (handler, ms, ...args) => {
      const id = set.call(
        scope,
        (...given: unknown[]) => {
          pending.delete(id);
          if (typeof handler === "function") handler(...given);
        },
        ms,
        ...args,
      );
      pending.add(id);
      return id;
    };
    scope.setInterval = (handler, ms, ...args) => {
      const id = repeat.call(scope, handler, ms, ...args);
      pending.add(id);
      return id;
    };
    scope.clearTimeout = (id) => {
      pending.delete(id);
      this.#clearTimeout(id);
    };
    scope.clearInterval = (id) => {
      pending.delete(id);
      this.#clearInterval(id);
    };
  }

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Cancels every timer still pending: the run that set it is over. */
  endRun(): void {
    for (const id of this.#pending) {
      // One id space for both kinds in browsers; in Node either clear works on either.
      this.#clearTimeout(id);
      this.#clearInterval(id);
    }
    this.#pending.clear();
  }
}
