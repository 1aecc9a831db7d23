/**
 * What the page does for the runner before its client (`runner-frame.ts`) has loaded: open the
 * first runner frame and fetch Python's files, both as the page's first script runs, so Python
 * starts no later for the client being loaded only once the page is usable. The frame's early
 * messages are kept, in order, for the client to take over.
 */
import { fetchPythonFiles, PYODIDE_PATH } from "../../../workers/python/browser-files.ts";
import type { RuntimeState } from "../../../workers/runner-protocol.ts";
import { buildFiles } from "../offline.ts";
import type { RunnerFrame } from "./runner-frame.ts";

/** Where the runner's document is served, sandboxed by its response's CSP. */
const RUNNER_URL = "/runner";

/** A runtime's state until its runner says otherwise (and until the runner's client has loaded). */
export const RUNNER_STARTING: RuntimeState = { phase: "loading", progress: { stage: "Starting" } };

/** More than an honest runner sends before its client is in (a few `progress` messages). */
const MAX_EARLY_MESSAGES = 1_000;

/**
 * Pyodide's big files, fetched by the page as soon as it loads: through the page's HTTP cache
 * and its service worker's cache (the opaque-origin runner gets neither), kept for every runner
 * frame the page opens.
 */
export const pythonFiles = fetchPythonFiles(
  new URL(PYODIDE_PATH, location.href).href,
  buildFiles(),
).catch((error) => {
  console.warn("Python's files could not be fetched by the page; the runner fetches them:", error);
  return null;
});

/** A new, hidden runner frame in the page, loading. */
export function openRunnerFrame(): HTMLIFrameElement {
  const frame = document.createElement("iframe");
  // No `sandbox` attribute: the service worker would not serve a frame sandboxed by one (and
  // the runner would need the network). The runner's response sandboxes it instead; if it did
  // not, the page could reach the frame's document, and runs nothing there (`runner-frame.ts`).
  // Cross-origin isolation is delegated to the runner, so that Python can be interrupted in
  // place through a SharedArrayBuffer. `*`, not the default (the `src` URL's origin): the
  // runner's own origin is opaque once its response sandboxes it, and matches no URL's.
  frame.setAttribute("allow", "cross-origin-isolated *");
  frame.title = "fnpad runner";
  frame.hidden = true;
  frame.tabIndex = -1;
  frame.src = RUNNER_URL;
  document.body.append(frame);
  return frame;
}

/** The first frame, and what it did before the client took it over. */
export interface EarlyRunner {
  frame: HTMLIFrameElement;
  /** Whether its document has loaded (its `load` event has fired). */
  loaded: boolean;
  /** Its messages, in order; the client's own listener gets the ones after. */
  messages: MessageEvent[];
}

let early: EarlyRunner | null = null;
const keep = (event: MessageEvent) => {
  if (!early || event.source !== early.frame.contentWindow) return;
  if (early.messages.length < MAX_EARLY_MESSAGES) early.messages.push(event);
};
const noteLoaded = () => {
  if (early) early.loaded = true;
};

/** Opens the first runner frame, which the client takes over (`takeEarlyRunner`). */
export function startRunner(): void {
  if (early) return;
  early = { frame: openRunnerFrame(), loaded: false, messages: [] };
  early.frame.addEventListener("load", noteLoaded);
  addEventListener("message", keep);
}

/**
 * The first frame and what it said so far, for the client; none if no frame was started. Stops
 * keeping messages: the caller listens from the same task on, so none is lost or reordered.
 */
export function takeEarlyRunner(): EarlyRunner | null {
  removeEventListener("message", keep);
  const taken = early;
  taken?.frame.removeEventListener("load", noteLoaded);
  early = null;
  return taken;
}

type RunnerClient = typeof import("./client.ts");
let client: Promise<RunnerClient> | undefined;

/**
 * The runner's client (`client.ts`), loading it on the first call: the page asks for it as soon
 * as it is usable (`main.tsx`). A load that failed is tried again on the next call.
 */
export function loadRunnerClient(): Promise<RunnerClient> {
  client ??= import("./client.ts").catch((error: unknown) => {
    client = undefined;
    throw error;
  });
  return client;
}

/** The page's one runner (`runner-frame.ts`), once its client has loaded. */
export function loadRunner(): Promise<RunnerFrame> {
  return loadRunnerClient().then((loaded) => loaded.runner);
}
