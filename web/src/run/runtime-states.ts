/**
 * Each language runtime's loading state in the runner, as the page last heard it, with listeners
 * for its changes: what `RunnerFrame` reports to the UI.
 */
import type { RuntimeState } from "../../../workers/runner-protocol.ts";
import { LANGUAGES, type Language } from "../../../workers/runtime-protocol.ts";

export class RuntimeStates {
  readonly #initial: RuntimeState;
  readonly #states = new Map<Language, RuntimeState>();
  readonly #listeners = new Map<Language, Set<(state: RuntimeState) => void>>(
    LANGUAGES.map((language) => [language, new Set()]),
  );

  /** `initial`: every runtime's state until the runner says otherwise. */
  constructor(initial: RuntimeState) {
    this.#initial = initial;
  }

  /** `language`'s current state. */
  get(language: Language): RuntimeState {
    return this.#states.get(language) ?? this.#initial;
  }

  /** Records what the runner said of `language`'s runtime, and tells its listeners. */
  set(language: Language, state: RuntimeState): void {
    this.#states.set(language, state);
    for (const listener of this.#listeners.get(language) ?? []) listener(state);
  }

  /** Calls `listener` on every state change of `language`'s runtime; returns the unsubscribe function. */
  subscribe(language: Language, listener: (state: RuntimeState) => void): () => void {
    const listeners = this.#listeners.get(language);
    listeners?.add(listener);
    return () => listeners?.delete(listener);
  }

  /** Settles once `language`'s runtime is no longer loading (ready, or failed), or `timeoutMs` went by. */
  settled(language: Language, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        unsubscribe();
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      const unsubscribe = this.subscribe(language, (state) => {
        if (state.phase !== "loading") done();
      });
      if (this.get(language).phase !== "loading") done();
    });
  }
}
