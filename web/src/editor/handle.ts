import type { Language } from "../../../workers/protocol.ts";

/** What the editor is created with. */
export interface EditorOptions {
  language: Language;
  code: string;
  onChange: (code: string) => void;
  onRun: () => void;
}

/** An error to mark in the code: where the handler's exception was raised. */
export interface CodeMark {
  /** 1-based line. */
  line: number;
  message: string;
}

/** The page's view of the (lazily loaded) Monaco editor. */
export interface EditorHandle {
  /** Shows `language`'s model, created with `code` the first time. */
  setLanguage(language: Language, code: string): void;
  /** Replaces the current model's text (fires `onChange`). */
  setValue(code: string): void;
  /** Marks (or, with `null`, clears) an error line. */
  markError(mark: CodeMark | null): void;
  /** Moves the cursor to `line` and focuses the editor. */
  revealLine(line: number): void;
  focus(): void;
  dispose(): void;
}
