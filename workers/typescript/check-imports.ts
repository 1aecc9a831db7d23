/**
 * Which TypeScript imports can never work: the snippet is one module with no packages, so an
 * import is either a module of the runtime or an error on every call. Static imports (and
 * `export … from`) run when the module loads; `import()` calls are left alone (they may be in a
 * `try`). Types-only imports are gone once compiled, so they pass.
 */
import { type Node, parse } from "acorn";
import type { CodeProblem } from "../check.ts";
import { EDGE_MODULE_NAMES, WORKERD_MODULES, WORKERD_NODE_MODULES } from "./workerd-modules.ts";

export { WORKERD_MODULES, WORKERD_NODE_MODULES };

const PROVIDED = new Set<string>(EDGE_MODULE_NAMES);

interface SourceNode extends Node {
  source?: { value?: unknown } | null;
}

/** A static import (or `export … from`) in compiled code: the module and its 1-based position. */
interface StaticImport {
  module: string;
  line: number;
  column: number;
}

/** The static imports of compiled `js`, in order; none when it does not parse. */
function staticImports(js: string): StaticImport[] {
  let program: Node & { body: SourceNode[] };
  try {
    program = parse(js, { ecmaVersion: "latest", sourceType: "module", locations: true }) as never;
  } catch {
    return []; // The compiler reports syntax errors, with the user's positions.
  }
  return program.body.flatMap((node) => {
    const module = node.source?.value;
    if (typeof module !== "string") return [];
    const start = node.loc?.start;
    return [{ module, line: start?.line ?? 1, column: (start?.column ?? 0) + 1 }];
  });
}

/** The first static import in compiled `js` of a module fnpad does not provide, or null. */
export function typescriptImportProblem(js: string): CodeProblem | null {
  const unknown = staticImports(js).find(({ module }) => !PROVIDED.has(module));
  if (!unknown) return null;
  const { module, line, column } = unknown;
  const provided = [...WORKERD_NODE_MODULES, ...WORKERD_MODULES];
  const why = module.startsWith(".")
    ? "a snippet is a single module, with no files beside it"
    : "packages are not installed";
  return {
    code: "unknown_import",
    message: `Cannot find module '${module}': ${why}. fnpad provides ${provided.join(", ")}`,
    line,
    column,
    module,
    provided,
  };
}

/**
 * The first static import in compiled `js` of a module only the edge has (`node:crypto`,
 * `cloudflare:workers`, …), or null: the browser's workers have none of them.
 */
export function edgeOnlyImport(js: string): StaticImport | null {
  return staticImports(js).find(({ module }) => PROVIDED.has(module)) ?? null;
}
