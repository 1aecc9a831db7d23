/**
 * A save-time check of Python source without Python: a tokenizer (strings, comments, brackets,
 * line continuations, logical lines) and the indentation rules CPython's tokenizer applies. It
 * finds what can never run — unclosed or mismatched brackets, unterminated strings, bad
 * indentation, a block header without its colon, Python 2's `print "x"`, and top-level imports
 * of modules fnpad does not have — in well under a millisecond for a typical handler. It is not a
 * parser: what it does not recognise it lets through (Python then reports it when the handler
 * runs); it must never refuse code Python accepts — but for match patterns too big for Python's
 * compiler to compile in reasonable time (`check-patterns.ts`), far bigger than any handler's.
 */
import type { CodeProblem } from "../check.ts";
import { pythonImportProblem } from "./check-imports.ts";
import { type PatternProblem, patternProblem } from "./check-patterns.ts";

/** One logical line: its indentation, where it starts, and its code with strings blanked out. */
export interface LogicalLine {
  indent: number;
  line: number;
  column: number;
  code: string;
}

/** What a check that crashed Python's compiler reports (code nested past its stack). */
export const TOO_DEEPLY_NESTED = "too deeply nested for Python's compiler (it ran out of stack)";

const OPENERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const CLOSERS = new Set([")", "]", "}"]);
const STRING_PREFIX = /^(?:[rRbBuUfFtT]|[rR][bBfFtT]|[bBfFtT][rR])?(?:'''|"""|'|")/;

/** Compound statements that always start a logical line and end their header with `:`. */
const BLOCK_HEADER =
  /^(?:async\s+)?(?:if|elif|else|while|for|def|class|with|try|except|finally)\b(?!\s*[=.,)\]}]|\s*:=)/;

/** A quote always starts a string; a prefix letter only when it does not end a name (`bar"`). */
function isStringStart(prefix: string, before: string | undefined): boolean {
  return prefix[0] === '"' || prefix[0] === "'" || !/\w/.test(before ?? "");
}

class Problem extends Error {
  readonly line: number;
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super(message);
    this.line = line;
    this.column = column;
  }
}

/** Splits `code` into logical lines; throws `Problem` for a token-level syntax error. */
export function logicalLines(code: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  const brackets: { char: string; line: number; column: number }[] = [];
  let line = 1;
  let lineStart = 0;
  let current: LogicalLine | null = null;
  let i = 0;
  const column = (at: number) => at - lineStart + 1;
  const newline = (at: number) => {
    line += 1;
    lineStart = at + 1;
  };

  /** Skips a string literal starting at `i` (prefix included); returns the index after it. */
  const skipString = (start: number, prefix: string): number => {
    const quote = prefix.replace(/^[^'"]+/, "");
    const formatted = /[fFtT]/.test(prefix.slice(0, prefix.length - quote.length));
    const triple = quote.length === 3;
    const [startLine, startColumn] = [line, column(start)];
    let j = start + prefix.length;
    while (j < code.length) {
      const char = code[j];
      if (char === "\\") {
        if (code[j + 1] === "\n") newline(j + 1);
        j += 2;
        continue;
      }
      if (code.startsWith(quote, j)) return j + quote.length;
      if (char === "\n") {
        if (!triple && !formatted) {
          throw new Problem("unterminated string literal", startLine, startColumn);
        }
        newline(j);
      }
      if (formatted && char === "{") {
        if (code[j + 1] === "{") {
          j += 2;
          continue;
        }
        j = skipReplacement(j + 1);
        continue;
      }
      j += 1;
    }
    const what = triple
      ? "unterminated triple-quoted string literal"
      : "unterminated string literal";
    throw new Problem(what, startLine, startColumn);
  };

  /** Skips an f-string's `{…}` from just after its `{`: nested brackets and strings included. */
  const skipReplacement = (start: number): number => {
    let depth = 1;
    let j = start;
    while (j < code.length && depth > 0) {
      const prefix = STRING_PREFIX.exec(code.slice(j, j + 5))?.[0];
      if (prefix && isStringStart(prefix, code[j - 1])) {
        j = skipString(j, prefix);
        continue;
      }
      const char = code[j];
      if (char === "\n") newline(j);
      if (char === "{" || char === "(" || char === "[") depth += 1;
      if (char === "}" || char === ")" || char === "]") depth -= 1;
      j += 1;
    }
    return j;
  };

  const startLogical = (at: number) => {
    if (current) return;
    const indentText = code.slice(lineStart, at);
    let indent = 0;
    for (const char of indentText)
      indent = char === "\t" ? (Math.floor(indent / 8) + 1) * 8 : indent + 1;
    current = { indent, line, column: column(at), code: "" };
  };
  const endLogical = () => {
    if (current) lines.push(current);
    current = null;
  };

  while (i < code.length) {
    const char = code[i] ?? "";
    if (char === "\n") {
      if (brackets.length === 0) endLogical();
      else if (current) (current as LogicalLine).code += " ";
      newline(i);
      i += 1;
      continue;
    }
    if (char === " " || char === "\t" || char === "\f" || char === "\r") {
      i += 1;
      continue;
    }
    if (char === "#") {
      while (i < code.length && code[i] !== "\n") i += 1;
      continue;
    }
    if (char === "\\") {
      const next = code[i + 1] === "\r" ? i + 2 : i + 1;
      if (code[next] !== "\n" && next < code.length) {
        throw new Problem(
          "unexpected character after line continuation character",
          line,
          column(i),
        );
      }
      newline(next);
      i = next + 1;
      continue;
    }
    startLogical(i);
    const logical = current as LogicalLine | null;
    if (!logical) break;
    const prefix = STRING_PREFIX.exec(code.slice(i, i + 5))?.[0];
    if (prefix && isStringStart(prefix, code[i - 1])) {
      i = skipString(i, prefix);
      logical.code += '""';
      continue;
    }
    if (char in OPENERS) brackets.push({ char, line, column: column(i) });
    if (CLOSERS.has(char)) {
      const open = brackets.pop();
      if (!open) throw new Problem(`unmatched '${char}'`, line, column(i));
      if (OPENERS[open.char] !== char) {
        const message = `closing parenthesis '${char}' does not match opening parenthesis '${open.char}'`;
        throw new Problem(message, line, column(i));
      }
    }
    logical.code += char;
    i += 1;
    // Spaces between tokens matter to the checks below (`print "x"`); keep one.
    if (code[i] === " " || code[i] === "\t") logical.code += " ";
  }
  const open = brackets.pop();
  if (open) throw new Problem(`'${open.char}' was never closed`, open.line, open.column);
  endLogical();
  return lines;
}

/** Whether a logical line's code has a `:` outside brackets (not the walrus `:=`). */
function hasTopLevelColon(code: string): boolean {
  let depth = 0;
  for (let k = 0; k < code.length; k += 1) {
    const char = code[k] ?? "";
    if (char in OPENERS) depth += 1;
    else if (CLOSERS.has(char)) depth -= 1;
    else if (char === ":" && depth === 0 && code[k + 1] !== "=") return true;
  }
  return false;
}

/** The indentation and statement rules, over the logical lines. */
function statementProblem(lines: LogicalLine[]): Problem | null {
  const stack = [0];
  let opener: LogicalLine | null = null;
  for (const logical of lines) {
    const top = stack.at(-1) ?? 0;
    if (opener) {
      if (logical.indent <= top) {
        const message = `expected an indented block after the statement on line ${opener.line}`;
        return new Problem(message, logical.line, logical.column);
      }
      stack.push(logical.indent);
    } else if (logical.indent > top) {
      return new Problem("unexpected indent", logical.line, logical.column);
    } else if (logical.indent < top) {
      while ((stack.at(-1) ?? 0) > logical.indent) stack.pop();
      if ((stack.at(-1) ?? 0) !== logical.indent) {
        return new Problem(
          "unindent does not match any outer indentation level",
          logical.line,
          logical.column,
        );
      }
    }
    const code = logical.code.trim();
    if (BLOCK_HEADER.test(code) && !hasTopLevelColon(code)) {
      return new Problem("expected ':'", logical.line, logical.column + code.length);
    }
    if (/^print ["'0-9]/.test(code)) {
      const message = "Missing parentheses in call to 'print'. Did you mean print(...)?";
      return new Problem(message, logical.line, logical.column);
    }
    // Any header (`match`/`case` included) ends its logical line with the colon; nothing else does.
    opener = code.endsWith(":") ? logical : null;
  }
  if (opener) {
    const message = `expected an indented block after the statement on line ${opener.line}`;
    // At the end of the file CPython points at the header itself.
    return new Problem(message, opener.line, opener.column + opener.code.trim().length);
  }
  return null;
}

/** The first reason `code` can never run, or null. */
export function checkPython(code: string): CodeProblem | null {
  let lines: LogicalLine[];
  try {
    lines = logicalLines(code);
    const problem = statementProblem(lines);
    if (problem) throw problem;
    const tooBig = patternProblem(lines);
    if (tooBig) throw new Problem(tooBig.message, tooBig.line, tooBig.column);
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    const { message, line, column } = error;
    return { code: "syntax_error", message: `SyntaxError: ${message}`, line, column };
  }
  return pythonImportProblem(lines);
}

/**
 * What in `code` Python's compiler would take seconds on (`check-patterns.ts`), found without it;
 * null as well for code this tokenizer refuses, which Python fails to parse before compiling.
 * For the callers that compile (the editor's check, a run): they ask this first.
 */
export function compileBombProblem(code: string): PatternProblem | null {
  try {
    return patternProblem(logicalLines(code));
  } catch (error) {
    if (error instanceof Problem) return null;
    throw error;
  }
}
