/**
 * Which TypeScript imports can never work: the snippet is one module with no packages, so an
 * import is either a module of the runtime or an error on every call. Static imports (and
 * `export … from`) run when the module loads; `import()` calls are left alone (they may be in a
 * `try`). Types-only imports are gone once compiled, so they pass.
 */
import { type Node, parse } from "acorn";
import type { CodeProblem } from "../check.ts";

/**
 * What the edge's isolates can import (workerd, at the isolates' compatibility date; probed in
 * `test/edge/fn-imports.test.ts`): Node's built-ins as `node:x` (or plain `x`), and these.
 * The browser's workers have none of them: a handler that imports one runs at the edge only.
 */
export const WORKERD_MODULES = [
  "cloudflare:workers",
  "cloudflare:sockets",
  "cloudflare:workflows",
] as const;

/** Node's built-ins that workerd provides (under `node:`, and by their plain names too). */
export const WORKERD_NODE_MODULES = [
  "node:assert",
  "node:assert/strict",
  "node:async_hooks",
  "node:buffer",
  "node:child_process",
  "node:cluster",
  "node:console",
  "node:constants",
  "node:crypto",
  "node:dgram",
  "node:diagnostics_channel",
  "node:dns",
  "node:dns/promises",
  "node:domain",
  "node:events",
  "node:fs",
  "node:fs/promises",
  "node:http",
  "node:http2",
  "node:https",
  "node:inspector",
  "node:inspector/promises",
  "node:module",
  "node:net",
  "node:os",
  "node:path",
  "node:path/posix",
  "node:path/win32",
  "node:perf_hooks",
  "node:process",
  "node:punycode",
  "node:querystring",
  "node:readline",
  "node:readline/promises",
  "node:repl",
  "node:stream",
  "node:stream/consumers",
  "node:stream/promises",
  "node:stream/web",
  "node:string_decoder",
  "node:sys",
  "node:timers",
  "node:timers/promises",
  "node:tls",
  "node:trace_events",
  "node:tty",
  "node:url",
  "node:util",
  "node:util/types",
  "node:v8",
  "node:vm",
  "node:wasi",
  "node:worker_threads",
  "node:zlib",
] as const;

const PROVIDED = new Set<string>([
  ...WORKERD_MODULES,
  ...WORKERD_NODE_MODULES,
  ...WORKERD_NODE_MODULES.map((name) => name.replace(/^node:/, "")),
]);

interface SourceNode extends Node {
  source?: { value?: unknown } | null;
}

/** The first static import in compiled `js` of a module fnpad does not provide, or null. */
export function typescriptImportProblem(js: string): CodeProblem | null {
  let program: Node & { body: SourceNode[] };
  try {
    program = parse(js, { ecmaVersion: "latest", sourceType: "module", locations: true }) as never;
  } catch {
    return null; // The compiler reports syntax errors, with the user's positions.
  }
  for (const node of program.body) {
    const module = node.source?.value;
    if (typeof module !== "string" || PROVIDED.has(module)) continue;
    const start = node.loc?.start;
    const provided = [...WORKERD_NODE_MODULES, ...WORKERD_MODULES];
    const why = module.startsWith(".")
      ? "a snippet is a single module, with no files beside it"
      : "packages are not installed";
    return {
      code: "unknown_import",
      message: `Cannot find module '${module}': ${why}. fnpad provides ${provided.join(", ")}`,
      line: start?.line ?? 1,
      column: (start?.column ?? 0) + 1,
      module,
      provided,
    };
  }
  return null;
}
