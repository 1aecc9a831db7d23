/**
 * Sits between Pyodide and a caller's interrupt buffer. Pyodide reads index 0 every so many
 * bytecodes and raises `KeyboardInterrupt` when it reads 2. The gate only passes interrupts on
 * during a run, and once one fired it keeps reading 2 (a handler that catches `KeyboardInterrupt`
 * is interrupted again at its next loop) until the adapter has caught it and disarms the gate, so
 * fnpad's own Python code is never interrupted.
 */

/** What Pyodide reads to interrupt Python: index 0 reading 2 raises `KeyboardInterrupt`. */
export type InterruptBuffer = Int32Array | ArrayLike<number>;

const SIGINT = 2;

export class InterruptGate {
  /** The caller's buffer, if any. */
  buffer?: InterruptBuffer;
  #armed = false;
  #fired = false;

  /** The object handed to `pyodide.setInterruptBuffer`. */
  readonly view: ArrayLike<number> = Object.defineProperty({ length: 1 }, 0, {
    get: () => this.#read(),
    // Pyodide writes 0 back after every read; the gate keeps its own state instead.
    set: () => {},
  }) as ArrayLike<number>;

  /** Whether the current (or last) run was interrupted. */
  get fired(): boolean {
    return this.#fired;
  }

  /** Starts watching the caller's buffer for a new run. */
  arm(): void {
    this.#armed = true;
    this.#fired = false;
  }

  /** Stops interrupting: fnpad's own code runs from here on (the adapter calls it as it catches). */
  disarm(): void {
    this.#armed = false;
  }

  #read(): number {
    if (!this.#armed || !this.buffer) return 0;
    if (this.#fired) return SIGINT;
    if (this.buffer[0] !== SIGINT) return 0;
    this.#fired = true;
    // A shared array is set back so the caller sees the request was taken; counting objects ignore this.
    if (this.buffer instanceof Int32Array) this.buffer[0] = 0;
    return SIGINT;
  }
}
