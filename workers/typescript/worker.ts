/** The TypeScript Web Worker: handlers are compiled here and imported from Blob URLs. */
import { expose } from "comlink";
import { importFromBlob } from "./importers.ts";
import { TypeScriptRuntime } from "./runtime.ts";

/** What the main thread's Comlink `Remote` wraps. */
export type TypeScriptWorkerApi = TypeScriptRuntime;

expose(new TypeScriptRuntime(importFromBlob));
