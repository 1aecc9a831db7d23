/**
 * A stored version as it runs with this deploy's compiler. TypeScript is compiled once, at save
 * time, and the compiled form is stored; but the work guard inside it has been strengthened since
 * some versions were saved (function entries were once not counted), and a stored version must not
 * keep the weaker one. So each compiled form is stored with the `COMPILER_VERSION` that made it,
 * and one made by another compiler is compiled again here, before it runs (then cached with the
 * version: once per version and isolate).
 */
import {
  COMPILER_VERSION,
  CompileError,
  compileTypeScript,
} from "../workers/typescript/compile.ts";
import type { RunnableVersion } from "./snippet-cache.ts";

/** A version as read from D1, with the compiler that made its compiled form. */
export type StoredVersion = RunnableVersion & { compiler: number | null };

/** The version with its compiled form made by this compiler. */
export function runnableVersion({ compiler, ...stored }: StoredVersion): RunnableVersion {
  if (stored.language !== "typescript") return stored;
  if (stored.compiled !== null && compiler === COMPILER_VERSION) return stored;
  return { ...stored, compiled: compiledNow(stored.code) };
}

/**
 * The code compiled by this compiler; code it refuses (it has grown stricter: a handler may no
 * longer name the guard's own function) becomes a module that throws why, at the handler's line.
 */
function compiledNow(code: string): string {
  try {
    return compileTypeScript(code);
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    const message =
      `Line ${error.line}:${error.column}: ${error.message}. This version was saved by an ` +
      "older fnpad whose compiler accepted it; change it and save it again.";
    return `throw new SyntaxError(${JSON.stringify(message)});\n`;
  }
}
