import { render } from "preact";
import { App } from "./app.tsx";
import { preloadPanels } from "./lazy-panels.ts";
import { registerServiceWorker } from "./offline.ts";
import { loadRunner, pythonFiles, startRunner } from "./run/runner-start.ts";
import "./styles.css";

/**
 * The app never runs in a frame: one gets there only when a handler that took its runner over
 * navigates the runner's frame to the app (the page then replaces that frame). Framed, it starts
 * nothing, so it cannot write the drafts and tokens it shares with the page.
 */
const framed = window.parent !== window;
const root = document.getElementById("app");
if (root && !framed) {
  // Python starts loading in the runner's frame at once; its client comes once the page is usable.
  startRunner();
  render(<App />, root);
  // The page works from here on (a plain textarea until Monaco arrives); the benchmark measures up to this mark.
  performance.mark("fnpad:usable");
  loadRunner().catch((error) => console.warn("The runner's client did not load:", error));
  // What the first screen does not show comes next, before anyone asks for it.
  setTimeout(preloadPanels, 0);
  registerServiceWorker(pythonReady());
}

/**
 * Settles once Python is ready (or has failed, or 15 s went by): the service worker's own copies
 * of the big files then wait until the first load no longer needs the network or the cores (a
 * browser that did not keep the files in its HTTP cache downloads them again).
 */
function pythonReady(): Promise<unknown> {
  return pythonFiles
    .then(() => loadRunner())
    .then((runner) => runner.settled("python", 15_000))
    .catch(() => undefined);
}
