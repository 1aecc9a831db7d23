/** The TypeScript compiler: types stripped, ESM kept, loops and functions guarded on the same lines. */
import { describe, expect, it } from "vitest";
import { CompileError, compileTypeScript, LOOP_TICK } from "../../workers/typescript/compile.ts";

function compileError(source: string): CompileError {
  try {
    compileTypeScript(source);
  } catch (error) {
    if (error instanceof CompileError) return error;
    throw error;
  }
  throw new Error("expected a compile error");
}

describe("compileTypeScript", () => {
  it("strips types and keeps ES module syntax and line numbers", () => {
    const source =
      "import type { X } from './x';\ninterface A { a: number }\nexport default (r: Request): string => 'ok';\n";
    const lines = compileTypeScript(source).split("\n");
    expect(lines[2]).toContain(`export default (r) => (${LOOP_TICK}(), 'ok')`);
    expect(lines.join("\n")).not.toContain("interface");
  });

  it("guards every kind of loop, wrapping bodies that are not blocks, on the same line", () => {
    const source = [
      "for (let i = 0; i < 3; i++) {}",
      "while (false) x();",
      "do {} while (false);",
      "for (const k in {}) for (const v of []) y();",
      "label: for (;;) break label;",
    ].join("\n");
    const lines = compileTypeScript(source).split("\n");
    expect(lines[0]).toBe(`for (let i = 0; i < 3; i++) {${LOOP_TICK}();}`);
    expect(lines[1]).toBe(`while (false) {${LOOP_TICK}();x();}`);
    expect(lines[2]).toBe(`do {${LOOP_TICK}();} while (false);`);
    expect(lines[3]).toBe(
      `for (const k in {}) {${LOOP_TICK}();for (const v of []) {${LOOP_TICK}();y();}}`,
    );
    expect(lines[4]).toBe(`label: for (;;) {${LOOP_TICK}();break label;}`);
  });

  it("guards the start of every kind of function body, on the same line", () => {
    const source = [
      'function f(a: number) { "use strict"; return a; }',
      "const g = (x: number) => x, h = () => ({ a: 1 }), k = (a) => (b) => (a, b);",
      "class A extends B { static { x(); } static {} constructor() { super(); } }",
      "const o = { get a() { return 1; }, set a(v) {}, m() {}, async *n() {} };",
      "for (;;) f = async () => await 1",
      "function d() { 'use strict'",
      "  return 1; }",
    ].join("\n");
    const t = `${LOOP_TICK}();`;
    const lines = compileTypeScript(source).split("\n");
    expect(lines[0]).toBe(`function f(a) { "use strict";${t} return a; }`);
    expect(lines[1]).toBe(
      `const g = (x) => (${LOOP_TICK}(), x), h = () => ((${LOOP_TICK}(), { a: 1 })), k = (a) => (${LOOP_TICK}(), (b) => ((${LOOP_TICK}(), a, b)));`,
    );
    expect(lines[2]).toBe(
      `class A extends B { static { ${t}x(); } static {} constructor() {${t} super(); } }`,
    );
    expect(lines[3]).toBe(
      `const o = { get a() {${t} return 1; }, set a(v) {${t}}, m() {${t}}, async *n() {${t}} };`,
    );
    expect(lines[4]).toBe(`for (;;) {${t}f = async () => (${LOOP_TICK}(), await 1)}`);
    expect(lines[5]).toBe(`function d() { 'use strict';${t}`);
    expect(lines).toHaveLength(source.split("\n").length + 2);
  });

  it("reports syntax errors with 1-based line and column", () => {
    const error = compileError("const a = 1;\nconst b = ;\n");
    expect(error).toMatchObject({ name: "SyntaxError", line: 2, column: 11 });
    expect(error.message).not.toMatch(/\(\d+:\d+\)$/);
  });

  it("refuses code that names the guard's tick", () => {
    expect(compileError(`const x = 1;\nglobalThis.${LOOP_TICK} = () => {};`)).toMatchObject({
      line: 2,
    });
  });
});
