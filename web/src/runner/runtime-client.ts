import * as Comlink from "comlink";
import type { RunOutcome, RuntimeState, StopReason } from "../../../workers/runner-protocol.ts";
import type {
  HandlerEnv,
  LanguageRuntime,
  LoadProgress,
  LogEntry,
  RunResult,
  StreamSink,
  WireRequest,
} from "../../../workers/runtime-protocol.ts";
import { stoppedOutcome, stoppedVerdict } from "../run/stopped.ts";
import type { SpawnedWorker } from "./spawn.ts";

export interface RuntimeClientOptions<T extends LanguageRuntime> {
  /** Starts a fresh worker that exposes a `T` through Comlink. */
  spawn: () => SpawnedWorker;
  /**
   * Hands the runtime a shared interrupt buffer, for runtimes that can be stopped in place
   * (Python, when the page is cross-origin isolated). Without it, stopping terminates the worker.
   */
  attachInterrupt?: (remote: Comlink.Remote<T>, buffer: Int32Array) => Promise<void>;
  /** Hands a fresh worker what it needs before it loads (Python: Pyodide's files). */
  prepare?: (remote: Comlink.Remote<T>) => Promise<void>;
}

/** How long an interrupted runtime gets to come back before its worker is terminated anyway. */
const INTERRUPT_GRACE_MS = 1000;
/** How long an idle worker may take to answer a cancel before the run counts as busy. */
const CANCEL_ANSWER_MS = 50;
/** The value Pyodide's interrupt buffer takes to raise `KeyboardInterrupt` (it is SIGINT's number). */
const SIGINT = 2;

/**
 * Owns one language runtime's Web Worker: starts it, loads the language, runs handlers with a time
 * budget, stops runaway runs (in place when the runtime allows, otherwise by respawning the worker).
 */
export class RuntimeClient<T extends LanguageRuntime> {
  readonly #options: RuntimeClientOptions<T>;
  readonly #listeners = new Set<(state: RuntimeState) => void>();
  #worker!: SpawnedWorker;
  #remote!: Comlink.Remote<T>;
  #loaded!: Promise<void>;
  #interrupt: Int32Array | undefined;
  #state: RuntimeState = { phase: "loading", progress: { stage: "Starting" } };
  #requestStop: ((reason: StopReason) => void) | undefined;
  /** Settles when the run in flight ends; unset between runs. */
  #running: Promise<void> | undefined;

  constructor(options: RuntimeClientOptions<T>) {
    this.#options = options;
    this.#start();
  }

  /** The runtime's current loading state. */
  get state(): RuntimeState {
    return this.#state;
  }

  /** Calls `listener` on every state change; returns the unsubscribe function. */
  subscribe(listener: (state: RuntimeState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Runs `code`'s handler on `request` with `env` within `budgetMs` (a streamed body included);
   * streams log lines to `onLog` and a streamed body's parts to `onStream`. Never rejects for user code.
   */
  async run(
    code: string,
    request: WireRequest,
    budgetMs: number,
    onLog: (entry: LogEntry) => void,
    env: HandlerEnv = {},
    onStream?: StreamSink,
  ): Promise<RunOutcome> {
    const started = performance.now();
    let ended = () => {};
    this.#running = new Promise((resolve) => {
      ended = resolve;
    });
    const stopRequested = new Promise<StopReason>((resolve) => {
      this.#requestStop = resolve;
    });
    try {
      // Once the runtime is ready the call is posted before this method first yields, so that the
      // worker starts while the page renders the run's busy state.
      if (this.#state.phase !== "ready") {
        const loadedOrStopped = await Promise.race([this.#loaded.then(() => null), stopRequested]);
        if (loadedOrStopped) return stoppedOutcome(loadedOrStopped, started);
      }
      if (this.#interrupt) Atomics.store(this.#interrupt, 0, 0);
      const timer = setTimeout(() => this.stop("budget"), budgetMs);
      const streamSink = onStream && Comlink.proxy(onStream);
      const call = this.#remote.run(
        code,
        request,
        Comlink.proxy(onLog),
        env,
        streamSink,
      ) as Promise<RunResult>;
      const first = await Promise.race([call, stopRequested]);
      clearTimeout(timer);
      if (typeof first !== "string") {
        // A discarded runtime (crashed, or holding gigabytes) would boot again inside the worker,
        // which keeps its memory and fetches files itself: a fresh worker gets them from the page.
        if (first.discarded) this.#respawn();
        return first;
      }
      return await this.#stopRun(call, first, started);
    } finally {
      this.#requestStop = undefined;
      this.#running = undefined;
      ended();
    }
  }

  /**
   * Calls `use` on the runtime once it has loaded and no run is going (it waits for the run in
   * flight to end), for work that must not interleave with a handler, such as a syntax check.
   */
  async whenIdle<R>(use: (remote: Comlink.Remote<T>) => Promise<R>): Promise<R> {
    await this.#loaded;
    while (this.#running) await this.#running;
    const remote = this.#remote;
    const used = await use(remote);
    // The work may have crashed the runtime (Python compiling code nested past its stack).
    const booted = await (remote as Comlink.Remote<Pick<LanguageRuntime, "booted">>).booted;
    if (booted === false && remote === this.#remote && !this.#running) this.#respawn();
    return used;
  }

  /** Stops the current run, if any. */
  stop(reason: StopReason = "user"): void {
    this.#requestStop?.(reason);
  }

  /** Interrupts in place when possible; otherwise replaces the worker. */
  async #stopRun(
    call: Promise<RunResult>,
    reason: StopReason,
    started: number,
  ): Promise<RunOutcome> {
    if (this.#interrupt) {
      await this.#cancelOrInterrupt(this.#interrupt);
      const interrupted = await Promise.race([
        call.catch(() => null),
        delay(INTERRUPT_GRACE_MS, null),
      ]);
      // The runtime's own words for an interrupt differ by language; the page says why it stopped.
      if (interrupted) {
        // Stopped while it allocated, say: the runtime may have let go of its interpreter.
        if (interrupted.discarded) this.#respawn();
        return { ...interrupted, ...stoppedVerdict(reason), stopped: reason };
      }
    }
    this.#respawn();
    return stoppedOutcome(reason, started);
  }

  /**
   * A run that awaits (a sleep, a fetch, a stream between chunks) executes no Python, so an
   * interrupt would only land in the event loop's next callback, outside the handler; the worker
   * takes a message then, and cancels the run itself. A busy run cannot take the message:
   * unanswered, it gets the interrupt.
   */
  async #cancelOrInterrupt(interrupt: Int32Array): Promise<void> {
    const remote = this.#remote as unknown as Comlink.Remote<
      Pick<Required<LanguageRuntime>, "cancelRun">
    >;
    // False as well when the worker had no run in flight yet (the run's message still queued
    // behind this one, or its start still awaiting): the interrupt then stops it as it starts.
    const cancelled = remote.cancelRun().catch(() => false);
    if (!(await Promise.race([cancelled, delay(CANCEL_ANSWER_MS, false)]))) {
      Atomics.store(interrupt, 0, SIGINT);
    }
  }

  #start(): void {
    this.#worker = this.#options.spawn();
    this.#remote = Comlink.wrap<T>(this.#worker.worker);
    this.#setState({ phase: "loading", progress: { stage: "Starting" } });
    this.#loaded = this.#load();
    // A failed load is shown through the state; runs then report it themselves.
    this.#loaded.catch(() => {});
  }

  async #load(): Promise<void> {
    const worker = this.#worker;
    const remote = this.#remote;
    let loaded = false;
    // Progress comes through its own port, which nothing orders with the reply to `load`: a last
    // report may land after the load has resolved, and must not put a ready runtime back to
    // "loading" for good. Nor may a replaced worker's reports speak for its successor.
    const onProgress = (progress: LoadProgress) => {
      if (!loaded && this.#worker === worker) this.#setState({ phase: "loading", progress });
    };
    try {
      await worker.ready;
      await this.#options.prepare?.(remote);
      if (this.#options.attachInterrupt && globalThis.crossOriginIsolated) {
        const buffer = new Int32Array(new SharedArrayBuffer(4));
        await this.#options.attachInterrupt(remote, buffer);
        this.#interrupt = buffer;
      }
      await remote.load(Comlink.proxy(onProgress));
      loaded = true;
      if (this.#worker === worker) this.#setState({ phase: "ready" });
    } catch (error) {
      loaded = true;
      // Within what the page accepts of an error (`RUNNER_MESSAGE_LIMITS.errorChars`).
      const message = String(error).slice(0, 4000);
      if (this.#worker === worker) this.#setState({ phase: "failed", message });
      throw error;
    }
  }

  #respawn(): void {
    this.#remote[Comlink.releaseProxy]();
    this.#worker.worker.terminate();
    this.#interrupt = undefined;
    this.#start();
  }

  #setState(state: RuntimeState): void {
    this.#state = state;
    for (const listener of this.#listeners) listener(state);
  }
}

function delay<V>(ms: number, value: V): Promise<V> {
  return new Promise((resolve) => setTimeout(resolve, ms, value));
}
