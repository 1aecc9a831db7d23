/**
 * The save-time Python check against CPython itself (real Pyodide): every verdict it gives must
 * be CPython's — valid code passes, a refused snippet fails to compile on the same line — and the
 * module list must be what Pyodide has.
 */
import { loadPyodide, type PyodideInterface } from "pyodide";
import { beforeAll, describe, expect, it } from "vitest";
import { checkPython } from "../../workers/python/check.ts";
import { PYTHON_STDLIB_MODULES } from "../../workers/python/stdlib-modules.ts";
import { handlerFixtures } from "../fixtures/handlers/index.ts";

let pyodide: PyodideInterface;
beforeAll(async () => {
  pyodide = await loadPyodide();
});

/** The line of CPython's SyntaxError for `code`, or null when it compiles. */
function cpythonErrorLine(code: string): number | null {
  const check = pyodide.runPython(
    "def check(code):\n    try:\n        compile(code, '<handler>', 'exec')\n    except SyntaxError as error:\n        return error.lineno\n    return None\ncheck",
  );
  const line = check(code) as number | undefined;
  check.destroy();
  return line ?? null;
}

/** Valid Python that a tokenizer-level check could mistake for an error. */
const VALID = [
  'if"a":\n    pass\n',
  'x = f"{ {"k": 1}["k"] }" + f"{x!r:>{width}}" + f"{{literal}}"\n',
  'name = "x"\nprint(f"{"nested" + name}")\n',
  "match command:\n    case [x, y]:\n        pass\n    case _:\n        pass\n",
  "value = {\n    'a': 1,\n  'b': [1,\n2],\n}\n",
  "total = 1 + \\\n    2\n",
  '"""a docstring with \'quotes\' and "more" and (unbalanced [\n"""\n',
  "r = r'\\d+\\''\nb = rb\"\\x00\"\n",
  "class A: pass\nif True: x = 1\nelse: x = 2\n",
  "if (n := 10) > 5:\n    pass\n",
  "def f(a, *, b=lambda: 1) -> dict[str, int]:\n    # a comment with ( and '\n    return {}\n",
  "@decorator(\n    arg=1,\n)\nasync def g():\n    async with x as y:\n        async for i in y:\n            await i\n",
  "try:\n    import ujson as json\nexcept ImportError:\n    import json\n",
  "def f():\n\tif x:\n\t\treturn 1\n\treturn 2\n",
  "x = [i for i in range(3) if i]\nprint(x)\nprint (x)\n",
  "s = 'a#b'  # comment: with colon\n",
  "t = t'{x}'\n",
  "for i in range(3): print(i)\nwhile False: pass\n",
  "type Point = tuple[float, float]\n",
  "x = 1;\n",
  "if x:\n    pass\n# trailing comment at column 0\n    # indented comment\ny = 2\n",
];

/** Invalid Python, each with the line CPython reports. */
const INVALID = [
  "def handler(request):\n    return {'a': 1\n",
  "def handler(request):\n    return 'unterminated\n",
  'x = """never closed\n',
  "def handler(request)\n    return 1\n",
  "def handler(request):\nreturn 1\n",
  "def handler(request):\n    x = 1\n      y = 2\n",
  "def handler(request):\n    if x:\n        pass\n  return 1\n",
  'print "hello"\n',
  "x = (1, 2]\n",
  "x = 1)\n",
  "if True:\n",
  "class A\n    pass\n",
  "for i in range(3)\n    pass\n",
  "  x = 1\n",
  "x = 1 \\ y\n",
];

describe("checkPython agrees with CPython", () => {
  it.each(VALID.map((code) => [code]))("accepts %j", (code) => {
    expect(cpythonErrorLine(code)).toBeNull();
    expect(checkPython(code)).toBeNull();
  });

  it.each(INVALID.map((code) => [code]))("refuses %j on CPython's line", (code) => {
    const line = cpythonErrorLine(code);
    expect(line).not.toBeNull();
    const problem = checkPython(code);
    expect(problem?.code).toBe("syntax_error");
    expect(problem?.line).toBe(line);
    expect(problem?.message).toMatch(/^SyntaxError: /);
  });

  it("accepts every Python fixture", () => {
    for (const fixture of handlerFixtures.filter((f) => f.language === "python")) {
      expect([fixture.name, checkPython(fixture.code)]).toEqual([fixture.name, null]);
    }
  });

  it("checks a 256 KB snippet in well under a second (~30 ms alone; the cores are shared)", () => {
    const unit = handlerFixtures.map((f) => (f.language === "python" ? f.code : "")).join("\n");
    const code = unit.repeat(Math.ceil((256 * 1024) / unit.length)).slice(0, 256 * 1024);
    const valid = code.slice(0, code.lastIndexOf("\ndef ") + 1);
    const started = performance.now();
    checkPython(valid);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("top-level imports", () => {
  it("refuses a module Pyodide does not have, naming what fnpad provides", () => {
    const problem = checkPython(
      "import json\nimport requests\n\ndef handler(request):\n    pass\n",
    );
    expect(problem).toMatchObject({ code: "unknown_import", line: 2, column: 1 });
    expect(problem?.module).toBe("requests");
    expect(problem?.message).toContain("No module named 'requests'");
    expect(problem?.message).toContain("fnpad, workers, js, pyodide");
    expect(problem?.provided).toContain("zoneinfo");
  });

  it.each([
    ["from flask import Flask\n", "flask"],
    ["import os, numpy.linalg as la\n", "numpy"],
    ["from . import helpers\n", "."],
  ])("refuses %j", (code, module) => {
    expect(checkPython(code)?.module).toBe(module);
  });

  it.each([
    "from workers import Response, WorkerEntrypoint\nfrom js import Response as R\nimport pyodide.http\n",
    "from fnpad import Response\nfrom __future__ import annotations\nimport urllib.parse\n",
    "try:\n    import numpy\nexcept ImportError:\n    numpy = None\n",
    "def handler(request):\n    import requests\n",
    "text = '''\nimport requests\n'''\n",
  ])("accepts %j", (code) => {
    expect(checkPython(code)).toBeNull();
  });

  it("lists exactly Pyodide's built-in and stdlib-zip modules", () => {
    const names = pyodide.runPython(`
import sys, zipfile
names = set(sys.builtin_module_names)
for path in sys.path:
    if path.endswith(".zip"):
        for name in zipfile.ZipFile(path).namelist():
            top = name.split("/")[0]
            if "/" in name:
                names.add(top)
            elif top.endswith(".py"):
                names.add(top[:-3])
sorted(n for n in names if n.isidentifier())
`);
    expect([...PYTHON_STDLIB_MODULES]).toEqual(names.toJs());
    names.destroy();
  });
});
