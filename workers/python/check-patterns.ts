/**
 * Match patterns too big for Python's compiler. CPython 3.14 compiles a `case` pattern in time
 * and memory that grow with the square of the names it binds (each capture is checked against
 * the ones before it and rotated into place past them): one `case {'0': a0, …, '2999': a2999}:`
 * (40 kB) takes ~4 s and ~1.1 GB of wasm memory, and nothing interrupts a compile. Keyword
 * sub-patterns (`C(k0=0, …)`) are checked pairwise too. Real handlers bind a handful of names
 * per case, so the bounds below sit far above them and far below what takes Python ~100 ms: at
 * most `MAX_CASE_NAMES` names bound and `MAX_CASE_PARTS` sub-patterns in one case pattern, and,
 * as the cost of a file's cases adds up, at most `MAX_NAMES_SQUARED` for the sum over its cases
 * of (names bound)². Linear in the code, over the tokenizer's logical lines (strings blanked).
 */
import type { LogicalLine } from "./check.ts";

/** Names one case pattern may bind (CPython: ~10 ms for 256, ~0.8 s for 2,000, ~4 s for 3,000). */
export const MAX_CASE_NAMES = 256;
/**
 * Sub-patterns (elements, keys, keyword arguments, alternatives) in one case pattern: linear but
 * for keyword arguments, checked pairwise. At 500, 256 kB of such cases compiles about as fast
 * (~0.4 s) as 256 kB of ordinary code (~0.3 s); 1,000 keyword arguments a case took ~0.7 s.
 */
export const MAX_CASE_PARTS = 500;
/**
 * The file's budget: Σ over its case patterns of (names bound)² — four cases of 256 names, ~0.1 s
 * at worst (names bound with `as`). Without it 256 kB of 256-name cases took seconds.
 */
export const MAX_NAMES_SQUARED = 4 * MAX_CASE_NAMES ** 2;

/** Where a bound was crossed, and what to tell the author. */
export interface PatternProblem {
  line: number;
  column: number;
  message: string;
}

const NAME = /[\p{ID_Start}_]\p{ID_Continue}*/uy;
const NUMBER = /\.?[0-9][\p{ID_Continue}.]*/uy;
const STARTS_WITH_WORD = /^\p{ID_Continue}/u;
/** Names in a pattern that bind nothing (`_` is the wildcard). */
const NOT_BOUND = new Set(["_", "as", "None", "True", "False"]);
const OPENERS = new Set(["(", "[", "{"]);
const CLOSERS = new Set([")", "]", "}"]);

/** Whether `code` (trimmed) starts with the soft keyword `word` (not `word_x`, `word.x`, `word =`). */
function startsWithKeyword(code: string, word: string): boolean {
  if (!code.startsWith(word)) return false;
  const rest = code.slice(word.length, word.length + 3);
  return !STARTS_WITH_WORD.test(rest) && !/^\s*(?:[.=,)\]}]|:=)/.test(rest);
}

/** The names bound and the sub-patterns of the case pattern in `code` (from its `case` on). */
function measureCase(code: string): { names: number; parts: number } {
  let names = 0;
  let parts = 1;
  let depth = 0;
  let previous = "";
  let k = "case".length;
  const nextSignificant = (from: number) => {
    let j = from;
    while (code[j] === " ") j += 1;
    return j;
  };
  while (k < code.length) {
    const char = code[k] ?? "";
    if (char === " ") {
      k += 1;
      continue;
    }
    NUMBER.lastIndex = k;
    const number = /[.0-9]/.test(char) ? NUMBER.exec(code) : null;
    if (number) {
      previous = "0";
      k += number[0].length;
      continue;
    }
    NAME.lastIndex = k;
    const name = NAME.exec(code);
    if (name) {
      const word = name[0];
      // The pattern ends at its guard (`case x if x > 0:`), whose names bind nothing.
      if (word === "if" && depth === 0) break;
      const after = nextSignificant(k + word.length);
      const next = code[after];
      const keywordArgument = next === "=" && code[after + 1] !== "=";
      // Not bound: a value pattern's parts (`Color.RED`), a class (`Point(`), a keyword (`x=`).
      if (
        !NOT_BOUND.has(word) &&
        previous !== "." &&
        next !== "." &&
        next !== "(" &&
        !keywordArgument
      )
        names += 1;
      previous = "a";
      k += word.length;
      continue;
    }
    if (OPENERS.has(char)) depth += 1;
    else if (CLOSERS.has(char)) depth -= 1;
    else if (char === ":" && depth === 0) break;
    else if (char === "," || char === "|") parts += 1;
    previous = char;
    k += 1;
  }
  return { names, parts };
}

/** The first case pattern (in `lines`, a file's logical lines) past the bounds, or null. */
export function patternProblem(lines: LogicalLine[]): PatternProblem | null {
  // The `match` statements around the line: their indentation, and that of their cases.
  const matches: { indent: number; cases?: number }[] = [];
  let squared = 0;
  for (const logical of lines) {
    while (matches.length > 0 && (matches.at(-1)?.indent ?? 0) >= logical.indent) matches.pop();
    const code = logical.code.trim();
    const inner = matches.at(-1);
    if (inner) inner.cases ??= logical.indent;
    if (inner && inner.cases === logical.indent && startsWithKeyword(code, "case")) {
      const { names, parts } = measureCase(code);
      const at = { line: logical.line, column: logical.column };
      if (names > MAX_CASE_NAMES) {
        const message = `this case pattern binds ${names} names; fnpad allows at most ${MAX_CASE_NAMES} in one pattern, as Python's compiler slows down with the square of their number`;
        return { ...at, message };
      }
      if (parts > MAX_CASE_PARTS) {
        const message = `this case pattern has ${parts} sub-patterns; fnpad allows at most ${MAX_CASE_PARTS} in one pattern, as Python's compiler slows down on more`;
        return { ...at, message };
      }
      squared += names * names;
      if (squared > MAX_NAMES_SQUARED) {
        const message = `the case patterns up to this one bind too many names for Python's compiler (the sum of the squares of each pattern's count passes ${MAX_NAMES_SQUARED}); bind fewer names per case`;
        return { ...at, message };
      }
    }
    if (startsWithKeyword(code, "match") && code.endsWith(":"))
      matches.push({ indent: logical.indent });
  }
  return null;
}
