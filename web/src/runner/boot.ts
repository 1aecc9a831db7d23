/**
 * The runner document's own script (`/runner`, in a hidden iframe of the page). The document is
 * served with `Content-Security-Policy: sandbox allow-scripts` (`web/public/_headers`), so its
 * origin is opaque: whatever a handler takes over from its worker, the page's storage, DOM and
 * edit tokens are on another origin. That CSP has no `script-src`: the runner runs its modules
 * and handlers' code from `blob:` URLs, and Pyodide's glue uses `eval`, which the page's own CSP
 * rightly refuses.
 *
 * The frame cannot carry a `sandbox` attribute as well: the service worker does not serve the
 * navigation of a frame sandboxed by its attribute, and the runner would then need the network.
 * So the runner checks its own origin before it starts anything, and the page checks that it
 * cannot reach the frame's document (`../run/runner-frame.ts`): served without its sandbox, the
 * runner runs nothing.
 *
 * The build writes this script into the document itself (an opaque-origin document has no
 * service worker, so offline nothing it asked for would come), with the runner's module and the
 * workers' modules as text (`module-sources.ts`).
 */

import { moduleBlobUrl } from "../../../workers/module-blob.ts";
import runnerUrl from "./main.ts?worker&url";
import { builtSource } from "./module-sources.ts";

async function startRunner(): Promise<void> {
  if (self.origin !== "null")
    throw new Error(
      `The runner's document is on ${self.origin}, not an opaque origin (was it served without its CSP sandbox?): it runs nothing`,
    );
  const url = new URL(runnerUrl, location.href).href;
  const source = builtSource(url);
  await import(/* @vite-ignore */ source === undefined ? url : moduleBlobUrl(source, url));
}

void startRunner();
