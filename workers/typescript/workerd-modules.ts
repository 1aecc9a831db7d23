/** The modules a handler may import, as plain lists: the editor and the browser's runtime read them without a parser. */

/**
 * What the edge's isolates can import (workerd, at the isolates' compatibility date; probed in
 * `test/edge/api-check.test.ts`): Node's built-ins as `node:x` (or plain `x`), and these.
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

/** Every name a handler may import at the edge: the lists above, and Node's by their plain names. */
export const EDGE_MODULE_NAMES: readonly string[] = [
  ...WORKERD_MODULES,
  ...WORKERD_NODE_MODULES,
  ...WORKERD_NODE_MODULES.map((name) => name.replace(/^node:/, "")),
];
