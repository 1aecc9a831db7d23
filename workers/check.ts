/**
 * What can never run, found before a snippet is saved: shared by the snippets API (which refuses
 * it with a 422) and the web app (which checks before sending). TypeScript is compiled anyway,
 * so its check sees real syntax; Python's is a tokenizer-level check (`python/check.ts`).
 */

import { checkPython } from "./python/check.ts";
import type { Language } from "./runtime-protocol.ts";
import { typescriptImportProblem } from "./typescript/check-imports.ts";
import { compileTypeScript } from "./typescript/compile.ts";

/** Why a snippet can never run, with a 1-based position. */
export interface CodeProblem {
  /** `syntax_error` or `unknown_import` (the API's error code). */
  code: "syntax_error" | "unknown_import";
  /** What is wrong, as the language would say it. */
  message: string;
  line: number;
  column: number;
  /** For `unknown_import`: the module, and every module fnpad provides. */
  module?: string;
  provided?: readonly string[];
}

/**
 * The first problem of `code`, or null. For TypeScript, pass the JavaScript compiled from it
 * (`compileTypeScript`, which reports syntax errors itself): its imports are checked.
 */
export function checkSnippet(language: Language, code: string): CodeProblem | null {
  return language === "python" ? checkPython(code) : typescriptImportProblem(code);
}

/**
 * The same check on source as the user wrote it (the web app, before it saves). TypeScript that
 * does not compile passes here: the API refuses it with its own `compile_error`.
 */
export function checkSource(language: Language, source: string): CodeProblem | null {
  if (language === "python") return checkPython(source);
  let compiled: string;
  try {
    compiled = compileTypeScript(source);
  } catch {
    return null;
  }
  return typescriptImportProblem(compiled);
}

/** The message the API sends for a problem: `Line 2:12: SyntaxError: …`. */
export function problemMessage(problem: CodeProblem): string {
  return `Line ${problem.line}:${problem.column}: ${problem.message}`;
}
