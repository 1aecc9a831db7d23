/** Ways to import compiled handler JavaScript as an ES module, one per environment. */
import { toBase64 } from "../bytes.ts";
import { edgeOnlyImport } from "./check-imports.ts";
import { compileTypeScript } from "./compile.ts";
import { EdgeOnlyImportError } from "./compile-error.ts";
import type { ModuleLoader } from "./runtime.ts";

/** A `TypeScriptRuntime` loader: compiles the code (work guard included), then imports it with `importModule`. */
export function compiledWith(importModule: (js: string) => Promise<unknown>): ModuleLoader {
  return (code) => importModule(compileTypeScript(code));
}

/**
 * Browser/Web Worker: a Blob URL, revoked once the module has been evaluated. A module that
 * imports one of the edge's modules is refused first, with its line and what to do instead.
 */
export async function importFromBlob(js: string): Promise<unknown> {
  const edgeOnly = edgeOnlyImport(js);
  if (edgeOnly) throw new EdgeOnlyImportError(edgeOnly.module, edgeOnly.line, edgeOnly.column);
  const url = URL.createObjectURL(new Blob([js], { type: "text/javascript" }));
  try {
    return await import(/* @vite-ignore */ url);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Node (unit tests, scripts): a `data:` URL; no Blob URL support for `import()` there. */
export function importFromDataUrl(js: string): Promise<unknown> {
  const base64 = toBase64(new TextEncoder().encode(js));
  return import(/* @vite-ignore */ `data:text/javascript;base64,${base64}`);
}
