/**
 * The runner host (`/runner-host`, in a hidden iframe of the page): an ordinary document of the
 * app, served like the page (so from the service worker's cache once it has one), whose one job
 * is to start the runner — the opaque-origin document that owns the handler workers — in an
 * iframe sandboxed with `allow-scripts` only. The runner's document is a `srcdoc` holding the
 * runner's and the workers' modules as text (`../runner/module-sources.ts`), so it needs no
 * network of its own. The host listens to no one: the page and the runner talk to each other
 * directly (the runner's `parent.parent` is the page), and the host holds nothing.
 *
 * The `srcdoc` inherits this document's CSP (`web/public/_headers`), which is why the host is a
 * document of its own: the runner needs what the page's CSP rightly refuses (scripts from `blob:`
 * URLs, `eval` inside Pyodide's glue). That CSP also sandboxes the host itself (`sandbox
 * allow-scripts`): its origin is opaque, and the runner inherits the sandbox whatever its frame's
 * attribute says.
 */

import { moduleBlobUrl } from "../../../workers/module-blob.ts";
import pythonWorkerUrl from "../../../workers/python/worker.ts?worker&url";
import typescriptWorkerUrl from "../../../workers/typescript/worker.ts?worker&url";
import runnerUrl from "../runner/main.ts?worker&url";
import {
  MODULE_SOURCES_ID,
  type ModuleSources,
  RUNNER_SOURCES_ID,
  readModuleSources,
  sourcesJson,
} from "../runner/module-sources.ts";

/** The modules the build wrote into this document, by path (`tools/vite-runner-sources.ts`); none in development. */
const built = readModuleSources(RUNNER_SOURCES_ID);

async function readSource(url: string): Promise<[string, string]> {
  const absolute = new URL(url, location.href).href;
  const inline = built[new URL(absolute).pathname];
  if (inline !== undefined) return [absolute, inline];
  const response = await fetch(absolute);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return [absolute, await response.text()];
}

/**
 * The runner's document: the sources as JSON, and an inline bootstrap that starts the runner's
 * module from them.
 */
function runnerDocument(runner: string, sources: ModuleSources): string {
  const json = sourcesJson(sources);
  const bootstrap = `const sources = JSON.parse(document.getElementById(${JSON.stringify(MODULE_SOURCES_ID)}).textContent);
const moduleBlobUrl = ${moduleBlobUrl.toString()};
import(moduleBlobUrl(sources[${JSON.stringify(runner)}], ${JSON.stringify(runner)}));`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fnpad runner</title>
<script type="application/json" id="${MODULE_SOURCES_ID}">${json}</script>
<script type="module">${bootstrap}</script></head><body></body></html>`;
}

async function startRunner(): Promise<void> {
  const entries = await Promise.all(
    [runnerUrl, pythonWorkerUrl, typescriptWorkerUrl].map(readSource),
  );
  const sources: ModuleSources = Object.fromEntries(entries);
  const frame = document.createElement("iframe");
  // No `allow-same-origin`: the runner's origin is opaque, and stays so whatever it navigates to.
  frame.setAttribute("sandbox", "allow-scripts");
  frame.setAttribute("allow", "cross-origin-isolated");
  frame.title = "fnpad runner";
  frame.srcdoc = runnerDocument(entries[0]?.[0] ?? "", sources);
  document.body.append(frame);
}

void startRunner();
