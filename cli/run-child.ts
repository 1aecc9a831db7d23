/**
 * The process `fnpad run` runs a handler in (`local-run.ts` starts it): a Node restricted by its
 * permission model, to reading the runtimes' own files, with no environment. It takes one
 * `RunOrder` over the IPC channel, loads the language, runs the handler through the browser's own
 * runtimes (Pyodide from the npm package for Python; the TypeScript compiler, work guard and
 * harness) and sends back what happened as plain data (`RunReport`s); `local-run.ts` prints it.
 */
import { constants as fsConstants } from "node:fs";
import * as nodeModule from "node:module";
import type {
  HandlerEnv,
  LanguageRuntime,
  LogEntry,
  RunResult,
  WireRequest,
} from "../workers/runtime-protocol.ts";

/** What the CLI asks of this process, once. */
export interface RunOrder {
  language: "python" | "typescript";
  code: string;
  request: WireRequest;
  env: HandlerEnv;
  budgetMs: number;
}

/** What this process tells the CLI, in order: `loaded`, any `log`s, then one `result`. */
export type RunReport =
  | { type: "loaded" }
  | { type: "log"; entry: LogEntry }
  | { type: "result"; result: RunResult };

// The Python runtime imports `adapter.py` as text (Vite and wrangler do that for the other
// builds); this hook does the same for Node. The packaged build (`tools/build-cli.ts`) has the
// text inlined already, and may run on a Node without the hook API (before 22.15).
nodeModule.registerHooks?.({
  load(url, context, nextLoad) {
    if (!url.endsWith(".py")) return nextLoad(url, context);
    const source = `export default ${JSON.stringify(nextLoad(url, { ...context, format: "module" }).source?.toString())};`;
    return { format: "module", source, shortCircuit: true };
  },
});

/**
 * Pyodide's Node file system (NODEFS, set up whether mounted or not) reads the `O_*` flags from
 * `process.binding("constants").fs`, which the permission model refuses (`process.binding` reaches
 * Node's internals). This answers that one name with the public `fs.constants`; every other
 * binding is still refused.
 */
function allowConstantsBinding(): void {
  const node = process as unknown as { binding(name: string): unknown };
  const binding = node.binding.bind(process);
  node.binding = (name) => (name === "constants" ? { fs: fsConstants } : binding(name));
}

async function runtimeFor(
  language: RunOrder["language"],
  deadline: () => number,
): Promise<LanguageRuntime> {
  if (language === "typescript") {
    const { TypeScriptRuntime } = await import("../workers/typescript/runtime.ts");
    const { compiledWith, importFromDataUrl } = await import("../workers/typescript/importers.ts");
    return new TypeScriptRuntime(compiledWith(importFromDataUrl));
  }
  allowConstantsBinding();
  const { PythonRuntime } = await import("../workers/python/runtime.ts");
  const { loadPyodide } = await import("pyodide");
  const runtime = new PythonRuntime(() => loadPyodide());
  // Pyodide reads index 0 every so many bytecodes; reading 2 past the deadline interrupts the
  // handler in place, as the browser's Stop does (a timer could not fire while Python spins).
  runtime.setInterruptBuffer(
    Object.defineProperty({ length: 1 }, 0, {
      get: () => (performance.now() > deadline() ? 2 : 0),
    }) as ArrayLike<number>,
  );
  return runtime;
}

// Taken before any handler code runs, which could replace `process.send`.
const send = process.send?.bind(process);
function report(message: RunReport): void {
  send?.(message);
}

async function runOrder(order: RunOrder): Promise<void> {
  let deadline = Number.POSITIVE_INFINITY;
  const runtime = await runtimeFor(order.language, () => deadline);
  await runtime.load();
  report({ type: "loaded" });
  deadline = performance.now() + order.budgetMs;
  const result = await runtime.run(
    order.code,
    order.request,
    (entry) => report({ type: "log", entry }),
    order.env,
  );
  report({ type: "result", result });
}

// The CLI gone (ended, killed), nothing is left to answer to.
process.on("disconnect", () => process.exit());
process.once("message", (order: RunOrder) => {
  runOrder(order).catch((error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? error}\n`);
    process.exit(70);
  });
});
