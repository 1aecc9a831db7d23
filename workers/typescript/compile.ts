/**
 * TypeScript → JavaScript for handlers: sucrase strips the types (ES modules kept), then a
 * loop guard is inserted so runaway loops can be stopped by counting work (DESIGN.md §5:
 * clocks cannot stop synchronous code in local workerd). Line numbers are kept as they were
 * so that stack traces point at the user's lines.
 */
import { type Node, parse } from "acorn";
import { transform } from "sucrase";

/** The global function the loop guard calls once per loop iteration. */
export const LOOP_TICK = "__fnpadTick";

/** The `sourceURL` compiled handlers carry, so that stack frames name `handler.ts`. */
export const HANDLER_SOURCE_URL = "handler.ts";

/** A syntax error in the user's code, with a 1-based position. */
export class CompileError extends Error {
  override name = "SyntaxError";
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super(message);
    this.line = line;
    this.column = column;
  }
}

const LOOP_TYPES = new Set([
  "ForStatement",
  "ForInStatement",
  "ForOfStatement",
  "WhileStatement",
  "DoWhileStatement",
]);

interface LoopNode extends Node {
  body: Node;
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

/** Every loop in the program, found by walking all child nodes (no walker dependency needed). */
function findLoops(root: Node): LoopNode[] {
  const loops: LoopNode[] = [];
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
    if (LOOP_TYPES.has(node.type)) loops.push(node as LoopNode);
    for (const value of Object.values(node)) {
      const children: unknown[] = Array.isArray(value) ? value : [value];
      for (const child of children) {
        if (child && typeof child === "object" && typeof (child as Node).type === "string") {
          stack.push(child as Node);
        }
      }
    }
  }
  return loops;
}

/** Inserts `__fnpadTick();` at the start of every loop body, wrapping bodies that are not blocks. */
function insertLoopGuard(js: string): string {
  let program: Node;
  try {
    program = parse(js, { ecmaVersion: "latest", sourceType: "module", locations: true });
  } catch (error) {
    throw toCompileError(error, js);
  }
  const insertions: { at: number; text: string }[] = [];
  for (const { body } of findLoops(program)) {
    if (body.type === "BlockStatement") {
      insertions.push({ at: body.start + 1, text: `${LOOP_TICK}();` });
    } else {
      insertions.push({ at: body.start, text: `{${LOOP_TICK}();` }, { at: body.end, text: "}" });
    }
  }
  // Apply from the end so that earlier offsets stay valid.
  insertions.sort((a, b) => b.at - a.at);
  let out = js;
  for (const { at, text } of insertions) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

/** Compiles a TypeScript handler module to guarded JavaScript; throws `CompileError`. */
export function compileTypeScript(source: string): string {
  let js: string;
  try {
    js = transform(source, { transforms: ["typescript"], disableESTransforms: true }).code;
  } catch (error) {
    throw toCompileError(error, source);
  }
  return `${insertLoopGuard(js)}\n//# sourceURL=${HANDLER_SOURCE_URL}\n`;
}
