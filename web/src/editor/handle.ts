import type { SyntaxProblem } from "../../../workers/runner-protocol.ts";
import type { Language } from "../../../workers/runtime-protocol.ts";

/** What the editor is created with. */
export interface EditorOptions {
  language: Language;
  code: string;
  onChange: (code: string) => void;
  onRun: () => void;
  /** Ctrl/Cmd+= (`1`) or Ctrl/Cmd+− (`-1`) pressed in the editor: a bigger or smaller font asked for. */
  onZoom: (step: 1 | -1) => void;
  /** How the code looks at first. */
  appearance: EditorAppearance;
}

/** How the code looks: presenter mode shows it big and in high contrast. */
export interface EditorAppearance {
  /** Font size in CSS pixels. */
  fontSize: number;
  /** High-contrast colours (in the page's light or dark scheme). */
  highContrast: boolean;
  /** Long lines wrap (big type on a projector has no room to scroll sideways). */
  wrap: boolean;
}

/** An error to mark in the code: where the handler's exception was raised. */
export interface CodeMark {
  /** 1-based line. */
  line: number;
  message: string;
}

/** A problem in the code as the editor marks it: a TypeScript diagnostic or a Python syntax error. */
export interface Problem extends SyntaxProblem {
  severity: "error" | "warning";
}

/** The page's view of the (lazily loaded) Monaco editor. */
export interface EditorHandle {
  /** Shows `language`'s model, with `code` as its text. */
  setLanguage(language: Language, code: string): void;
  /** The language of the model shown. */
  language(): Language;
  /** Replaces the current model's text (fires `onChange`). */
  setValue(code: string): void;
  /** Marks (or, with `null`, clears) an error line. */
  markError(mark: CodeMark | null): void;
  /** Changes the font size and contrast. */
  setAppearance(appearance: EditorAppearance): void;
  /** Marks the syntax errors found in `language`'s code (replacing the ones marked before). */
  markSyntax(language: Language, problems: SyntaxProblem[]): void;
  /**
   * Calls `listener` with the shown code's problems now and whenever they change (as you type,
   * and when the language changes); returns the unsubscribe function. A run's exception is not one.
   */
  onProblems(listener: (problems: Problem[]) => void): () => void;
  /** Moves the cursor to `line` (and `column`) and focuses the editor. */
  revealLine(line: number, column?: number): void;
  focus(): void;
  dispose(): void;
}
