/**
 * Which Python imports can never work: a top-level `import` (not indented, so not inside a `try`
 * or a function) runs when the snippet is loaded, so a module fnpad does not have fails every
 * call. Indented imports are left alone (`try: import ujson` / `except ImportError:` is fine).
 */
import type { CodeProblem } from "../check.ts";
import type { LogicalLine } from "./check.ts";
import { PYTHON_STDLIB_MODULES } from "./stdlib-modules.ts";

/** Modules fnpad itself puts in every run, besides the standard library. */
export const FNPAD_PYTHON_MODULES = ["fnpad", "workers", "js", "pyodide", "pyodide_js"] as const;

const PROVIDED = new Set<string>([...FNPAD_PYTHON_MODULES, ...PYTHON_STDLIB_MODULES]);

/** `import a.b as c, d` gives `a`, `d`; `from x.y import z` gives `x`; `from . import z` gives `.`. */
function importedModules(code: string): string[] {
  const from = /^from\s*(\.*)\s*([\w.]*)\s*import\b/.exec(code);
  if (from) return [from[1] ? "." : (from[2]?.split(".")[0] ?? "")];
  const plain = /^import\s+(.+)$/.exec(code);
  if (!plain?.[1]) return [];
  return plain[1]
    .replace(/[()]/g, "")
    .split(",")
    .map((part) => part.trim().split(/[\s.]/)[0] ?? "");
}

/** The first top-level import of a module fnpad does not have, or null. */
export function pythonImportProblem(lines: LogicalLine[]): CodeProblem | null {
  for (const logical of lines) {
    if (logical.indent > 0) continue;
    for (const module of importedModules(logical.code.trim())) {
      if (!module || PROVIDED.has(module)) continue;
      const { line, column } = logical;
      const message =
        module === "."
          ? "relative imports need a package, and a snippet is a single module"
          : `No module named '${module}': fnpad runs Python's standard library (json, re, datetime, urllib, …; ${PYTHON_STDLIB_MODULES.length} modules) and ${FNPAD_PYTHON_MODULES.join(", ")}; packages are not installed`;
      return {
        code: "unknown_import",
        message: `ModuleNotFoundError: ${message}`,
        line,
        column,
        module,
        provided: [...FNPAD_PYTHON_MODULES, ...PYTHON_STDLIB_MODULES],
      };
    }
  }
  return null;
}
