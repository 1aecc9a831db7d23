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
import type { Language } from "../../../workers/protocol.ts";
import type { EditorHandle, EditorOptions } from "./handle.ts";
import { leaveWithEscapeThenTab } from "./keyboard-exit.ts";
import { onSchemeChange, pageTheme } from "./themes.ts";

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

/** Narrow screens wrap long lines instead of hiding them past the edge. */
const narrow = matchMedia("(max-width: 900px)");

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

  return {
    setLanguage(language, code) {
      const model = modelFor(language, code);
      if (model.getValue() !== code) model.setValue(code);
      instance.setModel(model);
      model.updateOptions({ tabSize: language === "python" ? 4 : 2 });
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
      editor.setModelMarkers(model, "fnpad-run", markers);
      if (error) instance.revealLineInCenterIfOutsideViewport(error.line);
    },
    setAppearance(appearance) {
      highContrast = appearance.highContrast;
      const wordWrap = narrow.matches || appearance.wrap ? "on" : "off";
      instance.updateOptions({ fontSize: appearance.fontSize, wordWrap });
      editor.setTheme(pageTheme(highContrast));
    },
    revealLine(line) {
      instance.revealLineInCenter(line);
      instance.setPosition({ lineNumber: line, column: 1 });
      instance.focus();
    },
    focus() {
      instance.focus();
    },
    dispose() {
      stopFollowingScheme();
      keyboardExit.dispose();
      changes.dispose();
      instance.dispose();
    },
  };
}
