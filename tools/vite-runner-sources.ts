/**
 * Build step for the runner host (`web/runner-host.html`): writes the host's own script, and the
 * runner's and the language workers' built modules, into the host's document, so that the host
 * needs no request beyond its document. Its own script must be there: the host is sandboxed by
 * its response's CSP (`web/public/_headers`), and a document on an opaque origin gets no service
 * worker, so offline nothing it asked for would come. The modules being there also spares the
 * host asking for each after its script has loaded (on a first visit that was three more
 * requests, queued behind Pyodide's files, before the Python worker could start). In development
 * (no bundle) the host fetches them.
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

/**
 * The host's `<script src>` for its chunk, replaced by the chunk's code inline. The chunk must
 * import nothing (an inline module has no URL of its own to resolve imports from), and its code
 * must not be able to end the element.
 */
function inlineHostScript(html: string, host: OutputChunk): string {
  if (host.imports.length > 0 || host.dynamicImports.length > 0)
    throw new Error(`the runner host's chunk imports ${[...host.imports, ...host.dynamicImports]}`);
  if (/<\/script|<!--/i.test(host.code))
    throw new Error("the runner host's code holds </script or <!--: it cannot be inlined");
  const tag = new RegExp(`<script type="module"[^>]*src="/${host.fileName}"[^>]*></script>`);
  if (!tag.test(html)) throw new Error(`${HOST_HTML} does not load ${host.fileName}`);
  return html.replace(tag, () => `<script type="module">${host.code}</script>`);
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
        const host = hostChunk(bundle);
        const json = sourcesJson(namedModules(host, bundle));
        const element = `<script type="application/json" id="${RUNNER_SOURCES_ID}">${json}</script>`;
        const source = String(html.source);
        if (!source.includes("</head>")) throw new Error(`${HOST_HTML} has no </head>`);
        // The sources before the script is inlined: its code holds a `</head>` of its own (the
        // runner's document). A module script runs once the document is parsed anyway.
        const withSources = source.replace("</head>", () => `${element}\n</head>`);
        html.source = inlineHostScript(withSources, host);
        delete bundle[host.fileName];
      },
    },
  };
}
