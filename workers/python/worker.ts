/** The Python Web Worker: Pyodide served by the app from `/pyodide/` (never a CDN). */
import { expose } from "comlink";
import { loadPyodide } from "pyodide";
import type { ProgressSink } from "../protocol.ts";
import { PythonRuntime } from "./runtime.ts";

async function bootInBrowser(onProgress?: ProgressSink) {
  onProgress?.({ stage: "Downloading Python", fraction: 0 });
  const pyodide = await loadPyodide({ indexURL: "/pyodide/" });
  onProgress?.({ stage: "Starting Python", fraction: 0.9 });
  return pyodide;
}

/** What the main thread's Comlink `Remote` wraps. */
export type PythonWorkerApi = PythonRuntime;

expose(new PythonRuntime(bootInBrowser));
