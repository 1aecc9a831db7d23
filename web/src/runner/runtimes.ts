import type { Language } from "../../../workers/protocol.ts";
import type { PythonRuntime } from "../../../workers/python/runtime.ts";
import pythonWorkerUrl from "../../../workers/python/worker.ts?worker&url";
import type { TypeScriptRuntime } from "../../../workers/typescript/runtime.ts";
import typescriptWorkerUrl from "../../../workers/typescript/worker.ts?worker&url";
import { RuntimeClient } from "./runtime-client.ts";
import { spawnWorker } from "./spawn.ts";

/** Python's client; it starts loading Pyodide as soon as this module is imported. */
export const python = new RuntimeClient<PythonRuntime>({
  spawn: () => spawnWorker(pythonWorkerUrl, "python"),
  attachInterrupt: (remote, buffer) => remote.setInterruptBuffer(buffer),
});

/** One client per language. */
export const runtimes: Record<
  Language,
  RuntimeClient<PythonRuntime> | RuntimeClient<TypeScriptRuntime>
> = {
  python,
  typescript: new RuntimeClient<TypeScriptRuntime>({
    spawn: () => spawnWorker(typescriptWorkerUrl, "typescript"),
  }),
};
