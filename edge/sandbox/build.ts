/**
 * Bundles the isolate main modules (`isolate/*.ts`, which import the browser's runtime glue from
 * `workers/`) into one JavaScript file each, written as `dist/<language>-isolate.txt` so that the
 * edge worker imports them as text (wrangler's default Text rule for `*.txt`) and hands them to
 * the Worker Loader. Run by `npm run build:isolates` (and so by dev, test and deploy).
 * Deterministic: same sources, same output. Everything the parent passes as a separate module
 * (wasm, stdlib, the snippet itself) stays external.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { build, type PluginBuild } from "esbuild";

const here = new URL("./", import.meta.url);
const ISOLATES = ["python", "typescript"] as const;

/** `*.py` imported as text, the same contract as Vite's and wrangler's. */
const pythonAsText = {
  name: "python-as-text",
  setup(b: PluginBuild) {
    b.onLoad({ filter: /\.py$/ }, (args: { path: string }) => ({
      contents: readFileSync(args.path, "utf8"),
      loader: "text",
    }));
  },
};

/**
 * The harness imports constants from `compile.ts`, which pulls in sucrase and acorn; the isolate
 * runs code compiled at save time and never calls them, so they may be dropped when unused.
 */
const compilerIsSideEffectFree = {
  name: "compiler-is-side-effect-free",
  setup(b: PluginBuild) {
    b.onResolve({ filter: /^(sucrase|acorn)$/ }, async ({ path, resolveDir, kind, pluginData }) => {
      if (pluginData === "resolving") return undefined;
      const resolved = await b.resolve(path, { resolveDir, kind, pluginData: "resolving" });
      return { path: resolved.path, sideEffects: false };
    });
  },
};

const pyodideLock = JSON.parse(
  readFileSync(new URL("../../node_modules/pyodide/pyodide-lock.json", here), "utf8"),
);

mkdirSync(new URL("dist/", here), { recursive: true });
for (const language of ISOLATES) {
  const result = await build({
    entryPoints: [new URL(`isolate/${language}.ts`, here).pathname],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2023",
    mainFields: ["module", "main"],
    // Modules the parent passes in, workerd's built-ins, and Node-only paths Pyodide never takes here.
    external: [
      "cloudflare:*",
      "node:*",
      "ws",
      "./snippet.py",
      "./pyodide.asm.wasm",
      "./python_stdlib.zip",
    ],
    plugins: [pythonAsText, compilerIsSideEffectFree],
    define: { PYODIDE_LOCK_INFO: JSON.stringify(pyodideLock.info) },
    legalComments: "none",
    logLevel: "warning",
    write: false,
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild wrote nothing for ${language}`);
  writeFileSync(new URL(`dist/${language}-isolate.txt`, here), output.text);
}
