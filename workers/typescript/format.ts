/**
 * Formats console arguments roughly as a browser or Node console would (`{ a: 1 }`, `[ 1, 2 ]`),
 * without depending on Node's `util.inspect`, which neither Web Workers nor workerd isolates have.
 */

const MAX_DEPTH = 3;
const MAX_ITEMS = 100;

function formatKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

function formatList(open: string, items: string[], close: string, extra: number): string {
  if (extra > 0) items.push(`... ${extra} more items`);
  return items.length === 0 ? `${open}${close}` : `${open} ${items.join(", ")} ${close}`;
}

function formatNested(value: unknown, depth: number, seen: Set<object>): string {
  if (typeof value === "string") return depth === 0 ? value : `'${value.replaceAll("'", "\\'")}'`;
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return `[Function: ${value.name || "(anonymous)"}]`;
  if (value === null || typeof value !== "object") return String(value);
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (seen.has(value)) return "[Circular]";
  if (depth > MAX_DEPTH) return Array.isArray(value) ? "[Array]" : "[Object]";
  seen.add(value);
  const inner = (item: unknown) => formatNested(item, depth + 1, seen);
  try {
    if (Array.isArray(value) || ArrayBuffer.isView(value)) {
      const list = Array.from(value as ArrayLike<unknown>);
      const prefix = Array.isArray(value) ? "" : `${value.constructor.name}(${list.length}) `;
      const shown = list.slice(0, MAX_ITEMS).map(inner);
      return prefix + formatList("[", shown, "]", list.length - shown.length);
    }
    if (value instanceof Map) {
      const entries = [...value].map(([k, v]) => `${inner(k)} => ${inner(v)}`);
      return formatList(`Map(${value.size}) {`, entries, "}", 0);
    }
    if (value instanceof Set)
      return formatList(`Set(${value.size}) {`, [...value].map(inner), "}", 0);
    const name = value.constructor?.name;
    const prefix = name && name !== "Object" ? `${name} ` : "";
    const entries = Object.entries(value).map(([k, v]) => `${formatKey(k)}: ${inner(v)}`);
    return prefix + formatList("{", entries, "}", 0);
  } finally {
    seen.delete(value);
  }
}

/** Joins console arguments into one line of text. */
export function formatConsoleArgs(args: unknown[]): string {
  return args.map((arg) => formatNested(arg, 0, new Set())).join(" ");
}
