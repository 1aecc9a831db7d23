/**
 * Owns the runner frame: the opaque-origin iframe whose workers run handlers (see
 * `../runner/boot.ts`). UI code runs handlers through this client only. The page trusts nothing
 * the frame says beyond its shape (`runner-messages.ts`), and does not depend on it answering:
 * a run that gets no result in time is ended here, and the frame replaced with a fresh one.
 */

import { LIMITS } from "../../../workers/limits.ts";
import type {
  PageToRunner,
  RunOutcome,
  RuntimeState,
  StopReason,
  SyntaxProblem,
} from "../../../workers/runner-protocol.ts";
import type {
  HandlerEnv,
  Language,
  LogEntry,
  StreamSink,
  WireRequest,
} from "../../../workers/runtime-protocol.ts";
import { LANGUAGES } from "../../../workers/runtime-protocol.ts";
import { MessageGate } from "./message-gate.ts";
import { RunInFlight } from "./run-in-flight.ts";
import type { OversizedMessage, RunnerToPage } from "./runner-messages.ts";
import { RunnerPulse } from "./runner-pulse.ts";
import {
  type EarlyRunner,
  openRunnerFrame,
  pythonFiles,
  RUNNER_STARTING,
  takeEarlyRunner,
} from "./runner-start.ts";
import { RuntimeStates } from "./runtime-states.ts";
import {
  navigatedAwayOutcome,
  oversizedOutcome,
  runnerGoneOutcome,
  stoppedOutcome,
  unsandboxedOutcome,
} from "./stopped.ts";

/**
 * How long after its budget (or after Stop) a run may go without a result before the page ends
 * it and replaces the frame. The runner itself interrupts within 1 s and respawns a stuck
 * worker, so this only fires when the frame is stuck or lies.
 */
const UNRESPONSIVE_MS = 3000;
/**
 * How long a new frame may take to say its first word before it is opened again (doubling on
 * each try): a request for the frame's document or script that is dropped on the way (a flaky
 * network, a server restarting) would otherwise leave every run and check waiting on it.
 */
const FRAME_HELLO_MS = 10_000;

export class RunnerFrame {
  /** The runner's frame. */
  #frame!: HTMLIFrameElement;
  /** Set once a frame came without its sandbox: no other is opened, and nothing runs. */
  #unsandboxed = false;
  /** Whether the current frame's script listens (it has sent its first message). */
  #listening = false;
  /** Messages for the frame held until it listens; a frame opened again still gets them. */
  #queued: PageToRunner[] = [];
  /** How long the current frame gets to say its first word. */
  #helloMs = FRAME_HELLO_MS;
  #helloTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #states = new RuntimeStates(RUNNER_STARTING);
  #nextRunId = 0;
  #pending: RunInFlight | null = null;
  /** Whose code has run in the current frame (a snippet id, or `new`), if anyone's. */
  #usedBy: string | null = null;
  #nextCheckId = 0;
  /** The one syntax check waiting for its answer; a newer check replaces it. */
  #pendingCheck: { checkId: number; resolve: (problems: SyntaxProblem[] | null) => void } | null =
    null;
  /** While a run goes: asks the runner whether it is still there, and ends the run if not. */
  readonly #pulse = new RunnerPulse({
    ping: (pingId) => this.#post({ type: "ping", pingId }),
    due: () =>
      this.#listening && !!this.#pending && this.state(this.#pending.language).phase === "ready",
    onGone: () => this.#runnerGone(),
  });

  /** Takes over `early`'s frame and the messages it sent (`runner-start.ts`), or opens one. */
  constructor(early: EarlyRunner | null) {
    const gate = new MessageGate(
      () => this.#runnerWindow(),
      (message) => this.#onMessage(message),
    );
    addEventListener("message", (event) => gate.receive(event));
    if (!early) {
      this.#open();
      return;
    }
    this.#watchFrame(early.frame);
    for (const event of early.messages) gate.receive(event);
    if (early.loaded) this.#refuseReachable(early.frame);
  }

  /** A runtime's current loading state. */
  state(language: Language): RuntimeState {
    return this.#states.get(language);
  }

  /** Settles once `language`'s runtime is no longer loading (ready, or failed), or `timeoutMs` went by. */
  settled(language: Language, timeoutMs: number): Promise<void> {
    return this.#states.settled(language, timeoutMs);
  }

  /** Calls `listener` on every state change of `language`'s runtime; returns the unsubscribe function. */
  subscribe(language: Language, listener: (state: RuntimeState) => void): () => void {
    return this.#states.subscribe(language, listener);
  }

  /**
   * Makes sure the frame holds nothing left by code other than `owner`'s (a snippet id, or `new`
   * for unsaved code): a snippet that patched its worker's globals must not see or change the
   * next snippet's runs. Called when the page opens another snippet, so a fresh frame loads
   * while the user reads the code.
   */
  prepareFor(owner: string): void {
    if (this.#usedBy !== null && this.#usedBy !== owner) this.reset();
  }

  /**
   * Runs `owner`'s `code` on `request` with `env`, one run at a time; streams log lines to
   * `onLog`, and a streamed body's head and chunks to `onStream` (one head first, then at most
   * the size cap of chunks). Never rejects for anything the handler does. The env values go to `owner`'s frame
   * only: another snippet gets a fresh frame (`prepareFor`), so none of its code can read them.
   */
  run(
    owner: string,
    language: Language,
    code: string,
    request: WireRequest,
    onLog: (entry: LogEntry) => void,
    env: HandlerEnv = {},
    onStream?: StreamSink,
  ): Promise<RunOutcome> {
    if (this.#pending) throw new Error("A run is already going");
    if (this.#unsandboxed) return Promise.resolve(unsandboxedOutcome(performance.now()));
    this.prepareFor(owner);
    this.#usedBy = owner;
    const runId = this.#nextRunId++;
    const budgetMs = LIMITS.browserRunMs;
    // The runner starts a run's budget once its runtime has loaded; the page's watchdog allows
    // for the loading too.
    const deadline = budgetMs + UNRESPONSIVE_MS + this.#loadAllowance(language);
    const outcome = new Promise<RunOutcome>((resolve) => {
      const watchdog = this.#watch(runId, "budget", deadline);
      const started = performance.now();
      this.#pending = new RunInFlight({
        runId,
        language,
        started,
        onLog,
        onStream,
        resolve,
        watchdog,
      });
    });
    this.#send({ type: "run", runId, language, code, request, budgetMs, env });
    this.#pulse.start();
    return outcome;
  }

  /**
   * Python's syntax errors in `code`, found by compiling it in the runner without running it (the
   * runner waits for a run in flight to end first). Resolves `null` when a newer check or a fresh
   * frame made this one moot.
   */
  checkPython(code: string): Promise<SyntaxProblem[] | null> {
    this.#pendingCheck?.resolve(null);
    if (this.#unsandboxed) return Promise.resolve(null);
    const checkId = this.#nextCheckId++;
    const problems = new Promise<SyntaxProblem[] | null>((resolve) => {
      this.#pendingCheck = { checkId, resolve };
    });
    // A check still queued for a frame that has not loaded is moot now.
    this.#queued = this.#queued.filter((message) => message.type !== "check");
    this.#send({ type: "check", checkId, code });
    return problems;
  }

  /** Stops the current run, if any. */
  stop(reason: StopReason = "user"): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#post({ type: "stop", runId: pending.runId, reason });
    clearTimeout(pending.watchdog);
    pending.watchdog = this.#watch(pending.runId, reason, UNRESPONSIVE_MS);
  }

  /**
   * Replaces the frame and its workers with fresh ones (ending any run), so that nothing a
   * handler left behind in them (patched globals, module state) outlives it.
   */
  reset(): void {
    this.#finish(this.#pending?.runId ?? -1, null);
    this.#pendingCheck?.resolve(null);
    this.#pendingCheck = null;
    this.#queued = [];
    this.#helloMs = FRAME_HELLO_MS;
    this.#frame.remove();
    this.#usedBy = null;
    this.#open();
  }

  #open(): void {
    if (this.#unsandboxed) return;
    this.#watchFrame(openRunnerFrame());
  }

  /** Makes `frame` the runner's, loading: it gets its time to say its first word. */
  #watchFrame(frame: HTMLIFrameElement): void {
    this.#listening = false;
    clearTimeout(this.#helloTimer);
    this.#helloTimer = setTimeout(() => this.#openAgain(), this.#helloMs);
    for (const language of LANGUAGES) this.#states.set(language, RUNNER_STARTING);
    frame.addEventListener("load", () => this.#refuseReachable(frame));
    this.#frame = frame;
  }

  /**
   * A document in the runner's frame that this page can reach is on the page's own origin. Before
   * the runner spoke, it is the runner's, served without its CSP sandbox (a deploy that lost its
   * `_headers`), where a handler could read the edit tokens: the runner refuses to start in it too
   * (`../runner/boot.ts`); the page closes it and opens no other. After, the runner navigated its
   * own frame away (a handler that took it over can: the frame has no `sandbox` attribute), and
   * whatever came in is no runner: the frame is replaced with a fresh one.
   */
  #refuseReachable(frame: HTMLIFrameElement): void {
    if (frame !== this.#frame || frame.contentDocument === null) return;
    if (this.#listening) {
      console.warn("The runner's frame was navigated away; opening a fresh runner");
      const pending = this.#pending;
      if (pending) this.#finish(pending.runId, navigatedAwayOutcome(pending.started));
      this.reset();
      return;
    }
    this.#unsandboxed = true;
    clearTimeout(this.#helloTimer);
    frame.remove();
    const pending = this.#pending;
    if (pending) this.#finish(pending.runId, unsandboxedOutcome(pending.started));
    const message =
      "the runner's document came without its sandbox, so handlers cannot run here safely";
    for (const language of LANGUAGES) this.#states.set(language, { phase: "failed", message });
  }

  /** Replaces a frame that never said a word, keeping what was queued for it. */
  #openAgain(): void {
    if (this.#listening) return;
    console.warn(
      `The runner frame did not load within ${this.#helloMs / 1000} s; opening it again`,
    );
    this.#helloMs *= 2;
    this.#frame.remove();
    this.#open();
  }

  /** The frame's first word: it listens now, so it gets Python's files and what was queued. */
  #onHello(): void {
    this.#listening = true;
    clearTimeout(this.#helloTimer);
    this.#helloMs = FRAME_HELLO_MS;
    const frame = this.#frame;
    // Blobs: the frame gets handles, not copies, and the page keeps its own for the next frame.
    void pythonFiles.then((files) => {
      if (this.#frame === frame) this.#post({ type: "python-files", files });
    });
    const queued = this.#queued;
    this.#queued = [];
    for (const message of queued) this.#post(message);
  }

  /** Posts `message` now if the frame listens, or once it does. */
  #send(message: PageToRunner): void {
    if (this.#listening) this.#post(message);
    else this.#queued.push(message);
  }

  /** The runner's window. */
  #runnerWindow(): Window | null {
    return this.#frame.contentWindow;
  }

  #post(message: PageToRunner): void {
    // An opaque origin cannot be named as the target; the frame is this page's own child.
    this.#runnerWindow()?.postMessage(message, "*");
  }

  #onMessage(message: RunnerToPage | OversizedMessage): void {
    if (!this.#listening) this.#onHello();
    this.#handle(message);
  }

  #handle(message: RunnerToPage | OversizedMessage): void {
    if (message.type === "progress") {
      this.#states.set(message.language, message.state);
      return;
    }
    if (message.type === "pong") {
      this.#pulse.answered(message.pingId);
      return;
    }
    if (message.type === "checked") {
      const check = this.#pendingCheck;
      if (check?.checkId !== message.checkId) return;
      this.#pendingCheck = null;
      check.resolve(message.problems);
      return;
    }
    const pending = this.#pending;
    if (pending?.runId !== message.runId) return;
    if (message.type === "log") {
      pending.log(message.entry);
      return;
    }
    if (message.type === "stream") {
      pending.stream(message.part);
      return;
    }
    if (message.type === "oversized") {
      // An honest runner never sends one: the run ends saying so, and the frame is replaced.
      this.#finish(message.runId, oversizedOutcome(message.what, pending.started));
      this.reset();
      return;
    }
    this.#finish(message.runId, message.outcome);
  }

  /** The runner stopped answering during a run: the run ends saying so, and a fresh runner opens. */
  #runnerGone(): void {
    const pending = this.#pending;
    if (!pending) return;
    console.warn("The runner stopped answering; opening a fresh one");
    this.#finish(pending.runId, runnerGoneOutcome(pending.started));
    this.reset();
  }

  /** Ends run `runId` with `outcome`, or as stopped by `reason` when there is none. */
  #finish(runId: number, outcome: RunOutcome | null, reason: StopReason = "user"): void {
    const pending = this.#pending;
    if (pending?.runId !== runId) return;
    this.#pulse.stop();
    clearTimeout(pending.watchdog);
    this.#pending = null;
    pending.resolve(outcome ?? stoppedOutcome(reason, pending.started));
  }

  #watch(runId: number, reason: StopReason, ms: number): ReturnType<typeof setTimeout> {
    return setTimeout(() => {
      if (this.#pending?.runId !== runId) return;
      this.#finish(runId, null, reason);
      this.reset();
    }, ms);
  }

  /** Extra time for a runtime that is still loading when the run starts. */
  #loadAllowance(language: Language): number {
    return this.state(language).phase === "ready" ? 0 : 60_000;
  }
}

/** The page's one runner, in the frame the page opened as it loaded (`runner-start.ts`), if it did. */
export const runner = new RunnerFrame(takeEarlyRunner());
