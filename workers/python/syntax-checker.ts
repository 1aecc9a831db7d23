/**
 * Python's own syntax check, compiled into the adapter module (`adapter-install.ts`) so that every
 * Python fnpad boots has it: the browser's worker calls it as the user types
 * (`PythonRuntime.checkSyntax`), and the edge's save check runs it in a sandboxed isolate
 * (`edge/python-syntax.ts`). Kept apart from the adapter's sources so that the edge's app bundle
 * can name it without carrying them.
 */

/** The module the adapter is installed as, in `sys.modules`. */
export const ADAPTER_MODULE = "_fnpad_adapter";

/** One error `check` found: line, column, message, and the `SyntaxError` subclass (null: `message` names it). */
export type CheckerFinding = [line: number, column: number, message: string, kind: string | null];

/** The finding as a traceback's last line would put it: `SyntaxError: invalid syntax`. */
export function findingHeadline([, , message, kind]: CheckerFinding): string {
  return kind ? `${kind}: ${message}` : message;
}

/**
 * Compiles a handler without running it, as Python itself would before a run. Warnings (say, an
 * invalid escape) stay quiet: they are not errors, and would otherwise print to the worker's console.
 * Answers JSON, a list of `[line, column, message, kind]` (`kind`: the `SyntaxError` subclass, or
 * null when `message` names the error itself), so that no Python object crosses to JS. The
 * browser's editor and the edge's save check (`edge/python-syntax.ts`) both call it.
 */
export const SYNTAX_CHECKER = `
import json, warnings

def check(code, compile=compile):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(code, "handler.py", "exec", dont_inherit=True)
    except SyntaxError as error:
        kind = type(error).__name__
        return json.dumps([[error.lineno or 1, error.offset or 1, error.msg, kind]])
    except (ValueError, RecursionError, MemoryError) as error:
        return json.dumps([[1, 1, f"{type(error).__name__}: {error}", None]])
    return "[]"
`;
