// Loaded lazily, after the page is usable: only the editor core and the two languages fnpad needs.
// Monaco's own workers are bundled by Vite (`?worker`) and served by the app, never from a CDN.
import "monaco-editor/languages/definitions/python/register.js";
import "monaco-editor/languages/definitions/typescript/register.js";
import { editor, KeyCode, KeyMod, MarkerSeverity, Uri } from "monaco-editor/editor/editor.api.js";
import EditorWorker from "monaco-editor/editor/editor.worker.js?worker";
import {
  ModuleKind,
  ScriptTarget,
  typescriptDefaults,
} from "monaco-editor/languages/features/typescript/register.js";
import TypeScriptWorker from "monaco-editor/languages/features/typescript/ts.worker.js?worker";
import type { Language } from "../../../workers/runtime-protocol.ts";
import { oneColumn } from "../one-column.ts";
import type { EditorHandle, EditorOptions, Problem } from "./handle.ts";
import { HANDLER_TYPES } from "./handler-types.ts";
import { leaveWithEscapeThenTab } from "./keyboard-exit.ts";
import { onSchemeChange, pageTheme } from "./themes.ts";

/** The line under the editor that lists its problems, and Python's check that feeds it: both only work with Monaco, so they load with it. */
export { ProblemsLine } from "./ProblemsLine.tsx";
export { PythonCheck } from "./python-check.ts";

/** Where each language's model lives; a `.ts` URI is what makes the TypeScript service check it. */
const MODEL_URIS: Record<Language, string> = {
  python: "file:///handler.py",
  typescript: "file:///handler.ts",
};

globalThis.MonacoEnvironment = {
  getWorker: (_id, label) =>
    label === "typescript" || label === "javascript" ? new TypeScriptWorker() : new EditorWorker(),
};

typescriptDefaults.setCompilerOptions({
  target: ScriptTarget.ESNext,
  module: ModuleKind.ESNext,
  lib: ["esnext", "dom", "dom.iterable"],
  strict: true,
  allowNonTsExtensions: true,
});
typescriptDefaults.addExtraLib(HANDLER_TYPES, "file:///fnpad-handler.d.ts");

/** Narrow screens (the one-column layout) wrap long lines instead of hiding them past the edge. */
const narrow = oneColumn;

/** Marker owners of fnpad's own: a run's exception (not a problem in the code) and syntax checks. */
const RUN_OWNER = "fnpad-run";
const SYNTAX_OWNER = "fnpad-syntax";

/** The errors and warnings marked on `model` (hints and a run's exception left out), in line order. */
function problemsOf(model: editor.ITextModel): Problem[] {
  return editor
    .getModelMarkers({ resource: model.uri })
    .filter((marker) => marker.owner !== RUN_OWNER && marker.severity >= MarkerSeverity.Warning)
    .sort((a, b) => a.startLineNumber - b.startLineNumber || a.startColumn - b.startColumn)
    .map((marker) => ({
      line: marker.startLineNumber,
      column: marker.startColumn,
      message: marker.message,
      severity: marker.severity === MarkerSeverity.Error ? "error" : "warning",
    }));
}

/** Creates the Monaco editor in `host`, showing `options.language`'s code. */
export function createMonacoEditor(host: HTMLElement, options: EditorOptions): EditorHandle {
  const modelFor = (language: Language, code: string) => {
    const uri = Uri.parse(MODEL_URIS[language]);
    return editor.getModel(uri) ?? editor.createModel(code, language, uri);
  };
  const instance = editor.create(host, {
    model: modelFor(options.language, options.code),
    theme: pageTheme(options.appearance.highContrast),
    wordWrap: narrow.matches || options.appearance.wrap ? "on" : "off",
    automaticLayout: true,
    fontSize: options.appearance.fontSize,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    tabSize: 4,
    ariaLabel: "Handler code. Press Escape, then Tab, to leave the editor.",
  });
  instance.addCommand(KeyMod.CtrlCmd | KeyCode.Enter, options.onRun);
  // The page keeps the font size (per browser, per mode); Monaco's own zoom would not be kept.
  instance.addCommand(KeyMod.CtrlCmd | KeyCode.Equal, () => options.onZoom(1));
  instance.addCommand(KeyMod.CtrlCmd | KeyCode.Minus, () => options.onZoom(-1));
  let highContrast = options.appearance.highContrast;
  const changes = instance.onDidChangeModelContent(() => options.onChange(instance.getValue()));
  const stopFollowingScheme = onSchemeChange(() => editor.setTheme(pageTheme(highContrast)));
  const keyboardExit = leaveWithEscapeThenTab(instance);
  const problemListeners = new Set<(problems: Problem[]) => void>();
  const reportProblems = () => {
    const model = instance.getModel();
    const problems = model ? problemsOf(model) : [];
    for (const listener of problemListeners) listener(problems);
  };
  const markers = editor.onDidChangeMarkers((uris) => {
    const shown = instance.getModel()?.uri.toString();
    if (uris.some((uri) => uri.toString() === shown)) reportProblems();
  });
  const models = instance.onDidChangeModel(reportProblems);

  return {
    setLanguage(language, code) {
      const model = modelFor(language, code);
      if (model.getValue() !== code) model.setValue(code);
      instance.setModel(model);
      model.updateOptions({ tabSize: language === "python" ? 4 : 2 });
    },
    language() {
      return instance.getModel()?.getLanguageId() === "python" ? "python" : "typescript";
    },
    setValue(code) {
      instance.getModel()?.setValue(code);
    },
    markError(error) {
      const model = instance.getModel();
      if (!model) return;
      const markers = error
        ? [
            {
              severity: MarkerSeverity.Error,
              message: error.message,
              startLineNumber: error.line,
              endLineNumber: error.line,
              startColumn: 1,
              endColumn: model.getLineMaxColumn(error.line),
            },
          ]
        : [];
      editor.setModelMarkers(model, RUN_OWNER, markers);
      if (error) instance.revealLineInCenterIfOutsideViewport(error.line);
    },
    setAppearance(appearance) {
      highContrast = appearance.highContrast;
      const wordWrap = narrow.matches || appearance.wrap ? "on" : "off";
      instance.updateOptions({ fontSize: appearance.fontSize, wordWrap });
      editor.setTheme(pageTheme(highContrast));
    },
    markSyntax(language, problems) {
      const model = editor.getModel(Uri.parse(MODEL_URIS[language]));
      if (!model) return;
      const marks = problems.map(({ line, column, message }) => ({
        severity: MarkerSeverity.Error,
        message,
        startLineNumber: line,
        startColumn: column,
        endLineNumber: line,
        // At least one character, also where Python points past the end of the line.
        endColumn: Math.max(
          column + 1,
          model.getLineMaxColumn(Math.min(line, model.getLineCount())),
        ),
      }));
      editor.setModelMarkers(model, SYNTAX_OWNER, marks);
    },
    onProblems(listener) {
      problemListeners.add(listener);
      const model = instance.getModel();
      listener(model ? problemsOf(model) : []);
      return () => problemListeners.delete(listener);
    },
    revealLine(line, column = 1) {
      instance.revealLineInCenter(line);
      instance.setPosition({ lineNumber: line, column });
      instance.focus();
    },
    focus() {
      instance.focus();
    },
    dispose() {
      stopFollowingScheme();
      keyboardExit.dispose();
      changes.dispose();
      markers.dispose();
      models.dispose();
      problemListeners.clear();
      instance.dispose();
    },
  };
}
