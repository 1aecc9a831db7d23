/**
 * Match patterns too big for Python's compiler. CPython 3.14's compiler (Pyodide 314) takes time
 * and memory that grow with the square of the names one case pattern binds: 40 kB of source
 * (`match x:` with a `case {...}` of 3,000 keys) took ~4 s and grew the wasm heap to ~1.1 GB;
 * 5,000 keys (68 kB) ~13 s and ~3.2 GB. Nothing interrupts a compile. The same `check` runs,
 * unasked, in a visitor's runner as soon as a shared Python snippet opens (the editor's syntax
 * check), in the edge's shared checker isolate on every `POST /api/snippets`, and (as the module
 * is compiled) in the snippet's own isolate on a call. The tokenizer-level check
 * (`workers/python/check-patterns.ts`) now refuses such patterns before anything compiles them.
 */
import { loadPyodide, type PyodideInterface } from "pyodide";
import { beforeAll, describe, expect, it } from "vitest";
import { checkPython } from "../../workers/python/check.ts";
import {
  MAX_CASE_NAMES,
  MAX_CASE_PARTS,
  MAX_NAMES_SQUARED,
} from "../../workers/python/check-patterns.ts";
import { PythonRuntime } from "../../workers/python/runtime.ts";
import { getRequest } from "./request.ts";

const list = (n: number, item: (i: number) => string, separator = ", ") =>
  Array.from({ length: n }, (_, i) => item(i)).join(separator);
const match = (pattern: string) => `match x:\n    case ${pattern}:\n        pass\n`;

const KEYS = 3000;
const BOMB = match(`{${list(KEYS, (i) => `'${i}': a${i}`)}}`);

let pyodide: PyodideInterface;
const runtime = new PythonRuntime(() => loadPyodide());
beforeAll(async () => {
  pyodide = await loadPyodide();
  await runtime.load();
});

/** Whether CPython compiles `code` (without running it). */
function compiles(code: string): boolean {
  const check = pyodide.runPython(
    "def check(code):\n    try:\n        compile(code, '<handler>', 'exec')\n    except SyntaxError:\n        return False\n    return True\ncheck",
  );
  const ok = check(code) as boolean;
  check.destroy();
  return ok;
}

describe("Python's syntax check of hostile code", () => {
  it("refuses a 3,000-key mapping pattern on its line, by fnpad's own check (Python never compiles it)", async () => {
    // 40 KB that took CPython 4.3 s and 1.1 GB of memory to compile; the message is fnpad's.
    expect(BOMB.length).toBeLessThan(64 * 1024);
    const problems = await runtime.checkSyntax(BOMB);
    expect(problems).toEqual([
      { line: 2, column: 5, message: expect.stringContaining("binds 3000 names") },
    ]);
  });

  it("is refused by the save check as a syntax_error on its line", () => {
    expect(checkPython(BOMB)).toEqual({
      code: "syntax_error",
      line: 2,
      column: 5,
      message: expect.stringMatching(/^SyntaxError: this case pattern binds 3000 names/),
    });
  });

  it("answers a run of it (saved before the check) with a SyntaxError, without compiling it", async () => {
    const code = `def handler(request):\n    ${BOMB.replaceAll("\n", "\n    ")}\n    return 'ok'\n`;
    const result = await runtime.run(code, getRequest());
    expect(result.response.status).toBe(500);
    expect(result.error).toMatchObject({ type: "SyntaxError", line: 3 });
  });

  it.each([
    ["a class pattern's keyword sub-patterns", match(`C(${list(300, (i) => `k${i}=a${i}`)})`)],
    ["a class pattern's positional sub-patterns", match(`C(${list(300, (i) => `a${i}`)})`)],
    ["a sequence pattern's elements", match(`[${list(300, (i) => `a${i}`)}]`)],
    ["as-patterns", match(`[${list(300, (i) => `(1 as a${i})`)}]`)],
    ["an or-pattern's alternatives", match(list(100, (i) => `[a, b, c, ${i}]`, " | "))],
    ["nested patterns", match(`{${list(150, (i) => `'${i}': [a${i}, b${i}]`)}}`)],
    ["a sequence of non-ASCII names", match(`[${list(300, (i) => `é${i}`)}]`)],
  ])("refuses too many names bound in %s", (_what, code) => {
    expect(compiles(code)).toBe(true);
    expect(checkPython(code)).toMatchObject({ code: "syntax_error", line: 2 });
  });

  it("refuses a pattern of more than MAX_CASE_PARTS sub-patterns, bound or not", () => {
    const code = match(`C(${list(MAX_CASE_PARTS + 1, (i) => `k${i}=${i}`)})`);
    expect(compiles(code)).toBe(true);
    expect(checkPython(code)?.message).toContain(`has ${MAX_CASE_PARTS + 1} sub-patterns`);
    expect(checkPython(match(list(MAX_CASE_PARTS, (i) => `${i}`, " | ")))).toBeNull();
  });

  it("refuses many cases that each bind many names, on the case that passes the file's budget", () => {
    const perCase = 200;
    const cases = Math.floor(MAX_NAMES_SQUARED / perCase ** 2) + 1;
    const block = `    case [${list(perCase, (i) => `a${i}`)}]:\n        pass\n`;
    const code = `match x:\n${block.repeat(cases)}`;
    expect(checkPython(code)).toMatchObject({ code: "syntax_error", line: 2 * cases });
    expect(checkPython(`match x:\n${block.repeat(cases - 1)}`)).toBeNull();
  });

  it("accepts a pattern at the bound, which Python compiles", () => {
    const code = match(`{${list(MAX_CASE_NAMES, (i) => `'${i}': a${i}`)}}`);
    expect(checkPython(code)).toBeNull();
    expect(compiles(code)).toBe(true);
  });

  it.each([
    [
      "a few patterns",
      "match command.split():\n    case [action]:\n        pass\n    case ['go', direction] | ['move', direction]:\n        pass\n    case [('north' | 'south') as way, *_]:\n        pass\n",
    ],
    [
      "class, mapping, literal and guarded patterns",
      "match event:\n    case Click(position=(x, y), button=Button.LEFT) if x > limit(a, b, c):\n        pass\n    case {'type': 'key', 'key': str(key), **rest}:\n        pass\n    case 1 | 2 | 3 | -4.5 | 1+2j | None | True:\n        pass\n    case _:\n        pass\n",
    ],
    [
      "one-line cases",
      "def handler(request):\n    match request.method:\n        case 'GET': return 'get'\n        case other: return other\n",
    ],
    // `match` and `case` are soft keywords: ordinary names elsewhere.
    [
      "match and case as names",
      `case = [${list(400, (i) => `a${i}`)}]\ncase(${list(400, (i) => `a${i}`)})\nmatch = {}\n`,
    ],
    ["names in a guard", match(`y if f(${list(400, (i) => `a${i}`)})`)],
    ["value patterns", match(`{${list(400, (i) => `'${i}': Color.V${i}`)}}`)],
    [
      "a match in a case's body",
      `match x:\n    case [a]:\n        ${match(`[${list(200, (i) => `b${i}`)}]`).replaceAll("\n", "\n        ")}\n`,
    ],
  ])("accepts %s", (_what, code) => {
    expect(compiles(code)).toBe(true);
    expect(checkPython(code)).toBeNull();
  });
});
