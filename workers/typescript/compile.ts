/**
 * TypeScript → JavaScript for handlers: sucrase strips the types (ES modules kept), then a work
 * guard is inserted so runaway code can be stopped by counting work (clocks cannot stop
 * synchronous code in local workerd). It ticks at the start of every loop body and of every
 * function body (functions, arrows, methods, accessors, constructors, static blocks): all the ways
 * JavaScript repeats work — loops, recursion, callbacks, microtask chains — go through one of them.
 * Only text without line breaks is inserted, so stack traces point at the user's lines.
 */
import { type Node, parse } from "acorn";
import { transform } from "sucrase";
import { CompileError } from "./compile-error.ts";
import { HANDLER_SOURCE_URL, LOOP_TICK } from "./compiled-names.ts";

export { CompileError, HANDLER_SOURCE_URL, LOOP_TICK };

/**
 * The version of what `compileTypeScript` makes, stored beside each compiled handler. Bump it
 * whenever the output changes (the work guard above all): versions saved with another one are
 * compiled again before they run, so a handler saved before a guard was strengthened gets the
 * stronger one. `test/unit/compiler-version.test.ts` notices a change to this file.
 */
export const COMPILER_VERSION = 3;

const LOOP_TYPES = new Set([
  "ForStatement",
  "ForInStatement",
  "ForOfStatement",
  "WhileStatement",
  "DoWhileStatement",
]);

const FUNCTION_TYPES = new Set([
  "FunctionDeclaration",
  "FunctionExpression",
  "ArrowFunctionExpression",
]);

/** A loop, a function (`expression`: an arrow whose body is an expression) or a static block. */
interface GuardedNode extends Node {
  body: Node | Node[];
  expression?: boolean;
}

/** A statement of a body; `directive` is set on the prologue's `"use strict"`-style strings. */
interface StatementNode extends Node {
  directive?: string;
}

interface PositionedError {
  pos?: number;
  message: string;
}

/** Converts a sucrase or acorn error; its offset `pos` into `text` gives the position. */
function toCompileError(error: unknown, text: string): CompileError {
  const { pos = 0, message } = error as PositionedError;
  // Both end their message with "(line:column)", counted differently; the position is kept apart.
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  const column = pos - before.lastIndexOf("\n");
  return new CompileError(message.replace(/ \(\d+:\d+\)$/, ""), line, column);
}

/** Every loop, function and static block, found by walking all child nodes (no walker needed). */
function findGuarded(root: Node): GuardedNode[] {
  const guarded: GuardedNode[] = [];
  const stack: Node[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === "Identifier" && (node as Node & { name: string }).name === LOOP_TICK) {
      const start = node.loc?.start;
      throw new CompileError(
        `${LOOP_TICK} is reserved by fnpad`,
        start?.line ?? 1,
        (start?.column ?? 0) + 1,
      );
    }
    if (LOOP_TYPES.has(node.type) || FUNCTION_TYPES.has(node.type) || node.type === "StaticBlock") {
      guarded.push(node as GuardedNode);
    }
    for (const value of Object.values(node)) {
      const children: unknown[] = Array.isArray(value) ? value : [value];
      for (const child of children) {
        if (child && typeof child === "object" && typeof (child as Node).type === "string") {
          stack.push(child as Node);
        }
      }
    }
  }
  return guarded;
}

/** Text to insert at offset `at`; `span` orders insertions that share an offset. */
interface Insertion {
  at: number;
  text: string;
  /** Opening text goes in outermost first, closing text innermost first. */
  closing: boolean;
  span: number;
}

const TICK = `${LOOP_TICK}();`;

/** Where one loop, function or static block of `js` gets its tick. */
function guardInsertions(js: string, node: GuardedNode): Insertion[] {
  const span = node.end - node.start;
  const open = (at: number, text: string): Insertion => ({ at, text, closing: false, span });
  const close = (at: number, text: string): Insertion => ({ at, text, closing: true, span });
  if (Array.isArray(node.body)) {
    // A static block: before its first statement (an empty one does no work).
    const first = node.body[0];
    return first ? [open(first.start, TICK)] : [];
  }
  const body = node.body;
  if (FUNCTION_TYPES.has(node.type) && node.expression) {
    // `(x) => expr` becomes `(x) => (tick(), expr)`: a comma expression keeps it an expression.
    return [open(body.start, `(${LOOP_TICK}(), `), close(body.end, ")")];
  }
  if (body.type !== "BlockStatement") {
    return [open(body.start, `{${TICK}`), close(body.end, "}")];
  }
  // After a function's directive prologue, so that `"use strict"` stays a directive; one without
  // its semicolon (ended by a line break) gets one, or the tick would continue its line.
  const statements = (body as Node & { body: StatementNode[] }).body;
  const lastDirective = statements.findLast((statement) => statement.directive !== undefined);
  if (!lastDirective) return [open(body.start + 1, TICK)];
  const ended = js[lastDirective.end - 1] === ";";
  return [open(lastDirective.end, ended ? TICK : `;${TICK}`)];
}

/** Inserts the tick into every loop, function and static block of `js`, on the same lines. */
function insertWorkGuard(js: string): string {
  let program: Node;
  try {
    program = parse(js, { ecmaVersion: "latest", sourceType: "module", locations: true });
  } catch (error) {
    throw toCompileError(error, js);
  }
  const insertions = findGuarded(program).flatMap((node) => guardInsertions(js, node));
  insertions.sort(
    (a, b) =>
      a.at - b.at ||
      Number(b.closing) - Number(a.closing) ||
      (a.closing ? a.span - b.span : b.span - a.span),
  );
  const parts: string[] = [];
  let done = 0;
  for (const { at, text } of insertions) {
    parts.push(js.slice(done, at), text);
    done = at;
  }
  parts.push(js.slice(done));
  return parts.join("");
}

/** Compiles a TypeScript handler module to guarded JavaScript; throws `CompileError`. */
export function compileTypeScript(source: string): string {
  let js: string;
  try {
    js = transform(source, { transforms: ["typescript"], disableESTransforms: true }).code;
  } catch (error) {
    throw toCompileError(error, source);
  }
  return `${insertWorkGuard(js)}\n//# sourceURL=${HANDLER_SOURCE_URL}\n`;
}
