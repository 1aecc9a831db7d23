import { useEffect } from "preact/hooks";
import type { Language } from "../../../workers/runtime-protocol.ts";
import { runner } from "../run/runner-frame.ts";
import type { EditorHandle } from "./handle.ts";

/** How long typing must pause before Python's compiler looks at the code. */
export const CHECK_DELAY_MS = 300;

/**
 * Marks Python's syntax errors in the editor as you type: once typing pauses, the runner frame
 * compiles the code (never runs it) and the errors it finds become markers. Only the newest
 * check's answer counts; a check never delays or joins a run.
 */
export function usePythonCheck(editor: EditorHandle | null, language: Language, code: string) {
  useEffect(() => {
    if (!editor || language !== "python") return;
    let current = true;
    const timer = setTimeout(async () => {
      const problems = await runner.checkPython(code);
      if (current && problems) editor.markSyntax("python", problems);
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [editor, language, code]);
}
