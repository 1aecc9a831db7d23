/**
 * The page's door for the runner frame's messages: each is checked (`runner-messages.ts`) before
 * the page acts on it, in the order it came. The checker (zod, a quarter of the app's code) is
 * loaded just after the page has become usable, not before: nothing needs it until the runner's
 * first message, which comes a frame and a worker later. Messages that come before it has loaded
 * wait for it, in order, and a message whose frame has been replaced meanwhile is dropped.
 */
import type { OversizedMessage, RunnerToPage } from "./runner-messages.ts";

type Checker = typeof import("./runner-messages.ts");

/** More than an honest runner sends before the checker is in (a few `progress` messages). */
const MAX_WAITING = 1_000;

/** How long to wait before asking again for a checker that failed to load. */
const RETRY_MS = 1_000;

let checker: Checker | null = null;
let loading: Promise<Checker> | null = null;

/** The checker, loading it if no load is under way; a load that failed is tried again. */
function load(delayMs: number): Promise<Checker> {
  loading ??= new Promise((resolve) => setTimeout(resolve, delayMs))
    .then(() => import("./runner-messages.ts"))
    .then(
      (loaded) => {
        checker = loaded;
        return loaded;
      },
      (error: unknown) => {
        loading = null;
        throw error;
      },
    );
  return loading;
}

// Once the code that builds the page has run (a task later), not before.
load(0).catch(() => undefined);

/** A message as it arrived: its data, and the window that sent it. */
interface Arrival {
  data: unknown;
  source: MessageEventSource;
}

export class MessageGate {
  #waiting: Arrival[] = [];
  readonly #current: () => Window | null;
  readonly #accept: (message: RunnerToPage | OversizedMessage) => void;

  /**
   * `current` is the runner's window now (a message from any other is dropped); `accept` gets
   * each message that passed the check.
   */
  constructor(
    current: () => Window | null,
    accept: (message: RunnerToPage | OversizedMessage) => void,
  ) {
    this.#current = current;
    this.#accept = accept;
  }

  /** Takes one `message` event addressed to the page. */
  receive(event: MessageEvent): void {
    const { data, source } = event;
    if (source === null || source !== this.#current()) return;
    if (checker && this.#waiting.length === 0) {
      this.#check(checker, data);
      return;
    }
    if (this.#waiting.length >= MAX_WAITING) return;
    this.#waiting.push({ data, source });
    if (this.#waiting.length === 1) this.#drainOnceLoaded(0);
  }

  #drainOnceLoaded(delayMs: number): void {
    load(delayMs).then(
      (loaded) => this.#drain(loaded),
      // Offline before the service worker had it, say: the messages keep waiting, in order.
      () => this.#drainOnceLoaded(RETRY_MS),
    );
  }

  #drain(loaded: Checker): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const { data, source } of waiting) {
      if (source === this.#current()) this.#check(loaded, data);
    }
  }

  #check(loaded: Checker, data: unknown): void {
    const message = loaded.parseRunnerMessage(data);
    if (message) this.#accept(message);
  }
}
