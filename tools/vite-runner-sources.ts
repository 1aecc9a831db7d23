/**
 * Build step for the runner's document (`web/runner.html`): writes its own script, and the
 * runner's and the language workers' built modules, into the document, so that the runner needs
 * no request beyond its document. Its own script must be there: the document is sandboxed by its
 * response's CSP (`web/public/_headers`), and a document on an opaque origin gets no service
 * worker, so offline nothing it asked for would come. The modules being there also spares the
 * runner asking for each after its script has loaded (on a first visit that was three more
 * requests, queued behind Pyodide's files, before the Python worker could start). In development
 * (no bundle) they load from their URLs.
 */
import type { Plugin, Rolldown } from "vite";
import { MODULE_SOURCES_ID, sourcesJson } from "../web/src/runner/module-sources-json.ts";

type OutputBundle = Rolldown.OutputBundle;
type OutputChunk = Rolldown.OutputChunk;

const RUNNER_HTML = "runner.html";
const BOOT_ENTRY = "/runner/boot.ts";

function bootChunk(bundle: OutputBundle): OutputChunk {
  for (const file of Object.values(bundle)) {
    if (file.type === "chunk" && file.moduleIds.some((id) => id.endsWith(BOOT_ENTRY))) return file;
  }
  throw new Error(`the runner document's chunk (${BOOT_ENTRY}) is not in the bundle`);
}

/**
 * The modules the document's script names by URL (`?worker&url` imports), and the modules those name in
 * turn (the runner names the language workers), by the path each is served at.
 */
function namedModules(boot: OutputChunk, bundle: OutputBundle): Record<string, string> {
  const sources: Record<string, string> = {};
  const pending = [boot.code];
  for (let code = pending.pop(); code !== undefined; code = pending.pop()) {
    for (const [path] of code.matchAll(/\/assets\/[\w.-]+\.js/g)) {
      if (path in sources) continue;
      const file = bundle[path.slice(1)];
      if (!file) throw new Error(`the runner document names ${path}, which is not in the bundle`);
      const source = file.type === "chunk" ? file.code : String(file.source);
      sources[path] = source;
      pending.push(source);
    }
  }
  if (Object.keys(sources).length === 0) throw new Error("the runner document names no modules");
  return sources;
}

/**
 * The document's `<script src>` for its chunk, replaced by the chunk's code inline. The chunk must
 * import nothing (an inline module has no URL of its own to resolve imports from), and its code
 * must not be able to end the element.
 */
function inlineBootScript(html: string, boot: OutputChunk): string {
  if (boot.imports.length > 0 || boot.dynamicImports.length > 0)
    throw new Error(
      `the runner document's chunk imports ${[...boot.imports, ...boot.dynamicImports]}`,
    );
  if (/<\/script|<!--/i.test(boot.code))
    throw new Error("the runner document's script holds </script or <!--: it cannot be inlined");
  const tag = new RegExp(`<script type="module"[^>]*src="/${boot.fileName}"[^>]*></script>`);
  if (!tag.test(html)) throw new Error(`${RUNNER_HTML} does not load ${boot.fileName}`);
  return html.replace(tag, () => `<script type="module">${boot.code}</script>`);
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
        const html = bundle[RUNNER_HTML];
        if (html?.type !== "asset") throw new Error(`${RUNNER_HTML} is not in the bundle`);
        const boot = bootChunk(bundle);
        const json = sourcesJson(namedModules(boot, bundle));
        const element = `<script type="application/json" id="${MODULE_SOURCES_ID}">${json}</script>`;
        const source = String(html.source);
        if (!source.includes("</head>")) throw new Error(`${RUNNER_HTML} has no </head>`);
        // The sources go in the head: a module script runs once the document is parsed anyway.
        const withSources = source.replace("</head>", () => `${element}\n</head>`);
        html.source = inlineBootScript(withSources, boot);
        delete bundle[boot.fileName];
      },
    },
  };
}
