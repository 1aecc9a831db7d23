/**
 * The check every save goes through: code that can never run is refused with a 422 and its
 * line, and nothing stored is replaced by it (the client still holds the text). TypeScript is
 * compiled here, once (a syntax error is `compile_error`); then its imports, or Python's syntax
 * and imports, are checked by the same checker the web app runs before it saves
 * (`workers/check.ts`): `syntax_error` or `unknown_import`; Python that passes is compiled by
 * Python itself (`python-syntax.ts`), which finds what a tokenizer cannot.
 */
import { checkSnippet, problemMessage } from "../workers/check.ts";
import type { Language } from "../workers/runtime-protocol.ts";
import {
  COMPILER_VERSION,
  CompileError,
  compileTypeScript,
} from "../workers/typescript/compile.ts";
import { UnprocessableEntity } from "./errors.ts";
import { pythonSyntaxProblem } from "./python-syntax.ts";
import type { RunEnv } from "./runner/run.ts";

/**
 * What to store beside `code`: the compiled JavaScript and the compiler that made it
 * (TypeScript), or nulls (Python).
 */
export async function checkedForSave(
  env: RunEnv,
  language: Language,
  code: string,
): Promise<{ compiled: string | null; compiler: number | null }> {
  const compiled = language === "typescript" ? compiled422(code) : null;
  // The quick check first: most problems are found without asking Python.
  const problem =
    checkSnippet(language, compiled ?? code) ??
    (language === "python" ? await pythonSyntaxProblem(env, code) : null);
  if (problem) {
    const { code: errorCode, message: _message, ...details } = problem;
    throw new UnprocessableEntity(errorCode, problemMessage(problem), details);
  }
  return { compiled, compiler: compiled === null ? null : COMPILER_VERSION };
}

function compiled422(code: string): string {
  try {
    return compileTypeScript(code);
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    const { message, line, column } = error;
    throw new UnprocessableEntity("compile_error", `Line ${line}:${column}: ${message}`, {
      line,
      column,
    });
  }
}
