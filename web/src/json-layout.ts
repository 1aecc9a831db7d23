/**
 * JSON laid out as a person would write it: an object or array that fits in `width` characters
 * stays on one line (`{"hello": "Ada", "items": [1, 2, 3]}`), a larger one takes a line per member,
 * indented by two. `JSON.stringify(value, null, 2)` gave every array item its own line, so a
 * three-number array took five lines and a small answer did not fit a presenter's panel. A
 * snippet's answer must not hang the page: the indentation stops growing past `MAX_INDENT`, and
 * a layout longer than `maxChars` is given up (the caller shows the body as it came). Each line
 * repeats its indentation, so 86 KB of arrays nested 4,000 deep had made 352 million characters.
 */

/** Characters a one-line object or array may take, its indentation included. */
export const JSON_LINE_WIDTH = 48;
/** Deepest indentation, in characters (20 levels); deeper members line up there. */
const MAX_INDENT = 40;

/** Thrown, and caught here, when the layout passes its length. */
const TOO_LONG = Symbol("too long");

/**
 * `value` (parsed JSON) as text, `JSON.stringify`'s escaping and number forms throughout; null when
 * the layout would be longer than `maxChars`, or nested too deep to lay out.
 */
export function layOutJson(
  value: unknown,
  width = JSON_LINE_WIDTH,
  maxChars = Number.POSITIVE_INFINITY,
): string | null {
  const out: string[] = [];
  const budget = { left: maxChars };
  try {
    layOut(value, "", width, "", out, budget);
  } catch (error) {
    // Or nested deeper than this thread's stack goes (JSON.parse goes deeper): as it came, too.
    if (error === TOO_LONG || error instanceof RangeError) return null;
    throw error;
  }
  return out.join("");
}

/** Writes `value` to `out`, at `indent`, after `lead` on its first line (a member's key). */
function layOut(
  value: unknown,
  indent: string,
  width: number,
  lead: string,
  out: string[],
  budget: { left: number },
): void {
  // Counted per value written: what one value adds (its lead, indent and one-line form) is
  // bounded by the body's own size, so the check is never far behind.
  budget.left -= lead.length + indent.length;
  if (budget.left < 0) throw TOO_LONG;
  out.push(lead);
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    budget.left -= text.length;
    out.push(text);
    return;
  }
  const flat = oneLine(value, width - indent.length - lead.length);
  if (flat !== null) {
    budget.left -= flat.length;
    out.push(flat);
    return;
  }
  const inner = indent.length < MAX_INDENT ? `${indent}  ` : indent;
  const isArray = Array.isArray(value);
  const keys = isArray ? null : Object.keys(value);
  const count = keys ? keys.length : (value as unknown[]).length;
  out.push(isArray ? "[\n" : "{\n");
  for (let index = 0; index < count; index += 1) {
    const key = keys?.[index];
    const member = key === undefined ? (value as unknown[])[index] : (value as never)[key];
    out.push(inner);
    layOut(member, inner, width, key === undefined ? "" : `${JSON.stringify(key)}: `, out, budget);
    out.push(index < count - 1 ? ",\n" : "\n");
  }
  out.push(indent, isArray ? "]" : "}");
}

/**
 * `value` on one line (`", "` and `": "` between members), or null when that is longer than
 * `room`. Stops as soon as the line is too long, before looking further into the value.
 */
function oneLine(value: unknown, room: number): string | null {
  if (typeof value === "string" && value.length + 2 > room) return null;
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    return text.length > room ? null : text;
  }
  if (room < 2) return null;
  const isArray = Array.isArray(value);
  const keys = isArray ? null : Object.keys(value);
  const count = keys ? keys.length : (value as unknown[]).length;
  let line = isArray ? "[" : "{";
  for (let index = 0; index < count; index += 1) {
    const key = keys?.[index];
    if (index > 0) line += ", ";
    if (key !== undefined) line += `${JSON.stringify(key)}: `;
    if (line.length + 1 > room) return null;
    const member = key === undefined ? (value as unknown[])[index] : (value as never)[key];
    const part = oneLine(member, room - line.length - 1);
    if (part === null) return null;
    line += part;
  }
  line += isArray ? "]" : "}";
  return line.length > room ? null : line;
}
