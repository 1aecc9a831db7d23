import type { PythonWorkerApi } from "../../../workers/python/worker.ts";
import pythonWorkerUrl from "../../../workers/python/worker.ts?worker&url";
import type { PythonFiles } from "../../../workers/runner-protocol.ts";
import type { Language } from "../../../workers/runtime-protocol.ts";
import type { TypeScriptRuntime } from "../../../workers/typescript/runtime.ts";
import typescriptWorkerUrl from "../../../workers/typescript/worker.ts?worker&url";
import { RuntimeClient } from "./runtime-client.ts";
import { spawnWorker } from "./spawn.ts";

let receivePythonFiles: (files: PythonFiles | null) => void = () => {};
/** Pyodide's files, as the page sends them (`null`: the worker fetches them itself). */
const pythonFiles = new Promise<PythonFiles | null>((resolve) => {
  receivePythonFiles = resolve;
});

/** Takes Pyodide's files from the page (the first time only: they do not change). */
export function acceptPythonFiles(files: PythonFiles | null): void {
  receivePythonFiles(files);
}

/** Python's client; it starts loading Pyodide as soon as the page sends its files. */
export const python = new RuntimeClient<PythonWorkerApi>({
  spawn: () => spawnWorker(pythonWorkerUrl, "python"),
  attachInterrupt: (remote, buffer) => remote.setInterruptBuffer(buffer),
  prepare: async (remote) => {
    // Blobs: every worker (a respawned one too) gets handles to the same bytes, none a copy.
    const files = await pythonFiles;
    if (files) await remote.provideFiles(files);
  },
});

/** One client per language. */
export const runtimes: Record<
  Language,
  RuntimeClient<PythonWorkerApi> | RuntimeClient<TypeScriptRuntime>
> = {
  python,
  typescript: new RuntimeClient<TypeScriptRuntime>({
    spawn: () => spawnWorker(typescriptWorkerUrl, "typescript"),
  }),
};
