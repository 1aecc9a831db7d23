import { useEffect, useRef, useState } from "preact/hooks";
import type { Language } from "../../../workers/runtime-protocol.ts";
import type { CodeMark, EditorAppearance, EditorHandle, Problem } from "./handle.ts";
import { monacoTurn } from "./monaco-turn.ts";

interface Props {
  language: Language;
  code: string;
  onChange: (code: string) => void;
  onRun: () => void;
  /** The line of the last run's exception, marked in the editor. */
  mark: CodeMark | null;
  /** Receives the editor once Monaco is there (or `null` again when it goes away). */
  onEditor: (editor: EditorHandle | null) => void;
  appearance: EditorAppearance;
  onZoom: (step: 1 | -1) => void;
}

/**
 * A plain textarea at first, so the page is usable at once; Monaco replaces it after the first paint
 * (on a visit the service worker serves, once the language's runtime is ready: `monaco-turn.ts`).
 * Once Monaco is there it owns the text: `code` is only read when the language changes.
 */
export function CodeEditor(props: Props) {
  const { language, code, onChange, mark, appearance } = props;
  const host = useRef<HTMLDivElement>(null);
  const [editor, setEditor] = useState<EditorHandle | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  /** Monaco's module, once loaded: the problems line under the editor and Python's check come with it. */
  const monaco = useRef<typeof import("./monaco.ts") | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    let created: EditorHandle | null = null;
    let disposed = false;
    const timer = setTimeout(async () => {
      await monacoTurn(latest.current.language);
      monaco.current = await import("./monaco.ts");
      if (disposed || !host.current) return;
      created = monaco.current.createMonacoEditor(host.current, {
        language: latest.current.language,
        code: latest.current.code,
        onChange: (text) => latest.current.onChange(text),
        onRun: () => latest.current.onRun(),
        onZoom: (step) => latest.current.onZoom(step),
        appearance: latest.current.appearance,
      });
      setEditor(created);
      latest.current.onEditor(created);
    });
    return () => {
      disposed = true;
      clearTimeout(timer);
      created?.dispose();
      latest.current.onEditor(null);
    };
  }, []);

  useEffect(() => {
    // The page switches the editor itself the moment the language changes (`bridge.show`); this
    // only catches up when it did not. Never with this render's `code` when the editor already
    // shows the language: text written since (before this effect ran) would be put back.
    if (editor && editor.language() !== language) editor.setLanguage(language, latest.current.code);
  }, [editor, language]);
  useEffect(() => editor?.markError(mark), [editor, mark]);
  useEffect(() => editor?.setAppearance(appearance), [editor, appearance]);
  useEffect(() => editor?.onProblems(setProblems), [editor]);
  const { ProblemsLine, PythonCheck } = monaco.current ?? {};

  return (
    <div class="code-editor" data-editor={editor ? "monaco" : "textarea"}>
      <div ref={host} class="monaco-host" hidden={!editor} />
      {!editor && (
        <textarea
          class="plain-editor"
          style={{ fontSize: `${appearance.fontSize}px` }}
          aria-label="Handler code"
          spellcheck={false}
          value={code}
          onInput={(event) => onChange(event.currentTarget.value)}
        />
      )}
      {/* Over the editor's bottom-right corner, just above the problems line (never over it),
          while Monaco has the focus: where keyboard users look, the way out. */}
      {editor && (
        <div class="editor-hint-anchor">
          <p class="editor-hint" aria-hidden="true">
            Esc then Tab leaves the editor
          </p>
        </div>
      )}
      {editor && PythonCheck && <PythonCheck editor={editor} language={language} code={code} />}
      {editor && ProblemsLine && (
        <ProblemsLine
          problems={problems}
          onReveal={(line, column) => editor.revealLine(line, column)}
        />
      )}
    </div>
  );
}
