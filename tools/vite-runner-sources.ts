/**
 * Build step for the runner host (`web/runner-host.html`): writes the runner's and the language
 * workers' built modules into the host's document, so that the host has them the moment it is
 * parsed, instead of asking for each after its own script has loaded (on a first visit that was
 * three more requests, queued behind Pyodide's files, before the Python worker could start).
 * In development (no bundle) the host fetches them as before.
 */
import type { Plugin, Rolldown } from "vite";
import { RUNNER_SOURCES_ID, sourcesJson } from "../web/src/runner/module-sources-json.ts";

type OutputBundle = Rolldown.OutputBundle;
type OutputChunk = Rolldown.OutputChunk;

const HOST_HTML = "runner-host.html";
const HOST_ENTRY = "/runner-host/main.ts";

function hostChunk(bundle: OutputBundle): OutputChunk {
  for (const file of Object.values(bundle)) {
    if (file.type === "chunk" && file.moduleIds.some((id) => id.endsWith(HOST_ENTRY))) return file;
  }
  throw new Error(`the runner host's chunk (${HOST_ENTRY}) is not in the bundle`);
}

/** The modules the host's code names by URL (`?worker&url` imports), by the path each is served at. */
function namedModules(host: OutputChunk, bundle: OutputBundle): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const [path] of host.code.matchAll(/\/assets\/[\w.-]+\.js/g)) {
    const file = bundle[path.slice(1)];
    if (!file) throw new Error(`the runner host names ${path}, which is not in the bundle`);
    sources[path] = file.type === "chunk" ? file.code : String(file.source);
  }
  if (Object.keys(sources).length === 0) throw new Error("the runner host names no modules");
  return sources;
}

export function inlineRunnerSources(): Plugin {
  return {
    name: "fnpad:inline-runner-sources",
    apply: "build",
    generateBundle: {
      // After the HTML documents and the workers' files are in the bundle, and before the
      // service worker's manifest hashes them (`precache-manifest.ts`, also "post", runs later).
      order: "post",
      handler(_options, bundle) {
        const html = bundle[HOST_HTML];
        if (html?.type !== "asset") throw new Error(`${HOST_HTML} is not in the bundle`);
        const json = sourcesJson(namedModules(hostChunk(bundle), bundle));
        const element = `<script type="application/json" id="${RUNNER_SOURCES_ID}">${json}</script>`;
        const source = String(html.source);
        if (!source.includes("</head>")) throw new Error(`${HOST_HTML} has no </head>`);
        html.source = source.replace("</head>", () => `${element}\n</head>`);
      },
    },
  };
}
