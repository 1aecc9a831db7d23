/**
 * Python's own word on a save: code the tokenizer-level check (`workers/python/check.ts`) lets
 * through is compiled by Python itself — never run — in a sandboxed Python isolate like any
 * snippet's (a runner process under `npm run dev`, this deployment's Worker Loader in
 * production), so `x = = 1` is refused at save as the issue of a missing colon is. The checker is
 * a fixed handler, so its isolate is one per deployment and stays warm: a save pays a few ms.
 */
import type { CodeProblem } from "../workers/check.ts";
import { TOO_DEEPLY_NESTED } from "../workers/python/check.ts";
import {
  ADAPTER_MODULE,
  type CheckerFinding,
  findingHeadline,
} from "../workers/python/syntax-checker.ts";
import { type RunEnv, runSnippet } from "./runner/run.ts";

/**
 * The checker: the adapter's own `check` (the one the browser's editor calls) on the request's
 * body, answering its first finding.
 */
const CHECKER_SOURCE = `import json
from ${ADAPTER_MODULE} import check

def handler(request):
    found = json.loads(check(request.body.decode("utf-8")))
    return {"problem": found[0] if found else None}
`;

const CHECKER = {
  id: "fnpad-python-syntax",
  language: "python",
  code: CHECKER_SOURCE,
  compiled: null,
} as const;

/** What a Python that failed fatally on the code says about it (the code could not load either). */
const TOO_COMPLEX = `SyntaxError: ${TOO_DEEPLY_NESTED}`;

/**
 * How the checker's run answers when Python crashed on the code: code nested deeply enough
 * (`1+1+…` a hundred thousand times) overflows the compiler's stack, a fatal error for that
 * Python. The isolate boots a fresh one for the next check (`PythonRuntime.booted`).
 */
const CRASHED = /^Python crashed /;

/** Compiles `code` in the checker isolate: its answer, "crashed", or the status it failed with. */
async function askChecker(env: RunEnv, code: string): Promise<unknown> {
  const request = {
    method: "POST",
    url: "https://fnpad.internal/check",
    path: "/",
    query: "",
    headers: [],
    body: new TextEncoder().encode(code),
  };
  const { response } = await runSnippet(env, { ...CHECKER, version: 1 }, request);
  const answer: unknown = JSON.parse(new TextDecoder().decode(response.body));
  if (response.status === 200) return answer;
  const message = (answer as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === "string" && CRASHED.test(message) ? "crashed" : response.status;
}

/**
 * The first syntax error Python finds in `code`, or null. Null as well when the checker could not
 * answer (a runner restarting, say): the save goes ahead as the tokenizer check allowed, and the
 * error shows when the handler runs, as it would have without this check.
 */
export async function pythonSyntaxProblem(env: RunEnv, code: string): Promise<CodeProblem | null> {
  let answer: unknown;
  try {
    answer = await askChecker(env, code);
    if (answer === "crashed") {
      return { code: "syntax_error", line: 1, column: 1, message: TOO_COMPLEX };
    }
    if (typeof answer === "number") throw new Error(`the checker answered ${answer}`);
  } catch (error) {
    console.warn(`Python's syntax check did not answer; saving on the tokenizer's word: ${error}`);
    return null;
  }
  const problem = (answer as { problem?: unknown } | null)?.problem;
  if (!Array.isArray(problem)) return null;
  const finding = problem as CheckerFinding;
  return {
    code: "syntax_error",
    line: Math.max(1, Number(finding[0]) || 1),
    column: Math.max(1, Number(finding[1]) || 1),
    message: findingHeadline(finding),
  };
}
