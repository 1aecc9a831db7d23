import { useEffect } from "preact/hooks";
import type { SyntaxProblem } from "../../../workers/runner-protocol.ts";
import type { Language } from "../../../workers/runtime-protocol.ts";
import { loadRunner } from "../run/runner-start.ts";
import type { EditorHandle } from "./handle.ts";

interface Props {
  editor: EditorHandle;
  language: Language;
  code: string;
}

/** How long typing must pause before Python's compiler looks at the code. */
export const CHECK_DELAY_MS = 300;

/**
 * Marks Python's syntax errors in the editor as you type: once typing pauses, the runner frame
 * compiles the code (never runs it) and the errors it finds become markers. Code that compiles
 * is also held to Save's own check, so a top-level import of a module fnpad does not have
 * (`import numpy`) is marked here rather than first named by a refused save. Only the newest
 * check's answer counts; a check never delays or joins a run. It renders nothing, and loads with
 * Monaco (`monaco.ts`), the editor it marks.
 */
export function PythonCheck({ editor, language, code }: Props) {
  useEffect(() => {
    if (language !== "python") return;
    let current = true;
    const timer = setTimeout(async () => {
      const problems = await loadRunner().then(
        (runner) => runner.checkPython(code),
        () => null,
      );
      if (!current || !problems) return;
      const marked = await withImportProblem(code, problems);
      if (current) editor.markSyntax("python", marked);
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [editor, language, code]);
  return null;
}

/**
 * `problems`, or, when the code compiles, the unknown import Save would refuse (if any). The
 * save's check is loaded when first needed, as Save loads it: not part of what the page needs to
 * open.
 */
async function withImportProblem(
  code: string,
  problems: SyntaxProblem[],
): Promise<SyntaxProblem[]> {
  if (problems.length > 0) return problems;
  let saveProblem: ReturnType<typeof import("../../../workers/python/check.ts").checkPython>;
  try {
    const { checkPython } = await import("../../../workers/python/check.ts");
    saveProblem = checkPython(code);
  } catch {
    return problems; // the save's check will say what it makes of it
  }
  if (saveProblem?.code !== "unknown_import") return problems;
  const { line, column, message } = saveProblem;
  return [{ line, column, message }];
}
