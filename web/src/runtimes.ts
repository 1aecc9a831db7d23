import type { Language } from "../../workers/protocol.ts";
import { LIMITS } from "../../workers/protocol.ts";
import type { PythonRuntime } from "../../workers/python/runtime.ts";
import type { TypeScriptRuntime } from "../../workers/typescript/runtime.ts";
import { RuntimeClient } from "./runtime-client.ts";

/** One client per language; Python starts loading Pyodide as soon as this module is imported. */
export const runtimes: Record<
  Language,
  RuntimeClient<PythonRuntime> | RuntimeClient<TypeScriptRuntime>
> = {
  python: new RuntimeClient<PythonRuntime>({
    spawn: () =>
      new Worker(new URL("../../workers/python/worker.ts", import.meta.url), {
        type: "module",
        name: "python",
      }),
    attachInterrupt: (remote, buffer) => remote.setInterruptBuffer(buffer),
    budgetMs: LIMITS.browserRunMs,
  }),
  typescript: new RuntimeClient<TypeScriptRuntime>({
    spawn: () =>
      new Worker(new URL("../../workers/typescript/worker.ts", import.meta.url), {
        type: "module",
        name: "typescript",
      }),
    budgetMs: LIMITS.browserRunMs,
  }),
};
