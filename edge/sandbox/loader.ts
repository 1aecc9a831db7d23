/**
 * Loads a snippet version into its own Worker Loader isolate: no bindings, outbound traffic
 * through `OutboundGuard`, production CPU/subrequest limits, and an isolate id that includes a
 * hash of the code (and of the glue), so an isolate only ever runs the code it was made for.
 */

import { exports } from "cloudflare:workers";
import { BoundedCache } from "../../workers/bounded-cache.ts";
import { sha256Hex } from "../../workers/bytes.ts";
import type { HandlerEnv, Language, WireRequest } from "../../workers/runtime-protocol.ts";
import type { RunnableVersion } from "../db.ts";
import { ISOLATE_COMPATIBILITY_DATE, ISOLATE_COMPATIBILITY_FLAGS } from "./compat.ts";
import pythonIsolate from "./dist/python-isolate.txt";
import typescriptIsolate from "./dist/typescript-isolate.txt";
import { type BootTimeline, PythonBootFilesTarget, pyodideModules } from "./pyodide-files.ts";

type PythonEntrypoint = Fetcher<import("./isolate/python.ts").default>;
type TypeScriptEntrypoint = Fetcher<import("./isolate/typescript.ts").default>;

/** What the caller runs a request through, whatever the snippet's language; its answer is unchecked. */
export interface SnippetIsolate {
  run(request: WireRequest, env?: HandlerEnv): Promise<unknown>;
}

/**
 * Production limits per invocation. Python's first call boots Pyodide inside the isolate, so it
 * gets more CPU; locally workerd ignores these and the work guards stop runaway code instead.
 */
const ISOLATE_LIMITS = {
  python: { cpuMs: 10_000, subRequests: 20 },
  typescript: { cpuMs: 1_000, subRequests: 20 },
} as const;

let processKey: string | undefined;

/** This process's key, with which its calls into isolates say they are its (`isolate/parent-key.ts`). */
function parentKey(): string {
  processKey ??= `${crypto.randomUUID()}${crypto.randomUUID()}`;
  return processKey;
}

/** Main module and per-language modules of a snippet's isolate. */
async function modulesFor(snippet: RunnableVersion): Promise<WorkerLoaderWorkerCode["modules"]> {
  if (snippet.language === "python") {
    return {
      "main.js": pythonIsolate,
      "snippet.py": { text: snippet.code },
      ...(await pyodideModules()),
    };
  }
  if (snippet.compiled === null)
    throw new Error(`TypeScript snippet ${snippet.id} has no compiled code`);
  return { "main.js": typescriptIsolate, "snippet.js": { js: snippet.compiled } };
}

/** Hashes of the glue, so that a new deploy never reuses an isolate made with the old one. */
const glueHashes = new Map<Language, Promise<string>>();

function glueHash(language: Language): Promise<string> {
  let hash = glueHashes.get(language);
  if (!hash) {
    hash = sha256Hex(language === "python" ? pythonIsolate : typescriptIsolate);
    glueHashes.set(language, hash);
  }
  return hash;
}

/** Isolate names already worked out, by `id@version` (versions are immutable; the glue is fixed per deploy). */
const isolateNames = new BoundedCache<Promise<string>>({
  maxEntries: 1000,
  maxWeight: Number.POSITIVE_INFINITY,
});

/**
 * One isolate per snippet version (a fork with unchanged code must not share module state, such
 * as data kept in memory by the original, with it), named with a hash of the glue and the code.
 * Hashing up to 256 KB of code is kept off the hot path: once per version and instance.
 */
function isolateName(snippet: RunnableVersion): Promise<string> {
  const key = `${snippet.id}@${snippet.version}`;
  let name = isolateNames.get(key);
  if (!name) {
    const runnable = snippet.compiled ?? snippet.code;
    const language = snippet.language === "python" ? "py" : "ts";
    name = glueHash(snippet.language)
      .then((glue) => sha256Hex(`${glue}\n${runnable}`))
      .then((hash) => `${language}:${key}:${hash.slice(0, 32)}`);
    isolateNames.set(key, name);
    name.catch(() => isolateNames.delete(key));
  }
  return name;
}

/** The isolate for `snippet` (made on first use, reused while the loader keeps it warm). */
export async function isolateFor(
  env: Pick<Env, "LOADER" | "ASSETS">,
  snippet: RunnableVersion,
  timeline?: BootTimeline,
): Promise<SnippetIsolate> {
  const name = await isolateName(snippet);
  const limits = ISOLATE_LIMITS[snippet.language];
  const worker = env.LOADER.get(name, async () => ({
    compatibilityDate: ISOLATE_COMPATIBILITY_DATE,
    compatibilityFlags: ISOLATE_COMPATIBILITY_FLAGS[snippet.language],
    mainModule: "main.js",
    modules: await modulesFor(snippet),
    env: {},
    globalOutbound: exports.OutboundGuard({ props: { isolate: name } }),
    limits,
  }));
  const key = parentKey();
  if (snippet.language === "typescript") {
    const typescript = worker.getEntrypoint<TypeScriptEntrypoint>(undefined, { limits });
    return { run: (request, handlerEnv) => typescript.run(key, request, handlerEnv) };
  }
  const python = worker.getEntrypoint<PythonEntrypoint>(undefined, { limits });
  // The boot files (not modules: see `pyodide-files.ts`) go only to a new isolate, which says so
  // before it runs anything: a warm isolate's runs get no stub of this process at all.
  return {
    run: async (request: WireRequest, handlerEnv?: HandlerEnv) => {
      const ran = await python.run(key, request, undefined, handlerEnv);
      if (!ran.needsBootFiles) return ran;
      const files = new PythonBootFilesTarget(env.ASSETS, timeline);
      return python.run(key, request, files, handlerEnv);
    },
  };
}
