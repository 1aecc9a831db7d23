/** The TypeScript Web Worker: handlers are compiled here and imported from Blob URLs. */
import { expose } from "comlink";
import { compiledWith, importFromBlob } from "./importers.ts";
import { RunTimers } from "./run-timers.ts";
import { TypeScriptRuntime } from "./runtime.ts";

/** What the main thread's Comlink `Remote` wraps. */
export type TypeScriptWorkerApi = TypeScriptRuntime;

expose(new TypeScriptRuntime(compiledWith(importFromBlob), { timers: new RunTimers(globalThis) }));
