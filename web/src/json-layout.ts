/**
 * JSON laid out as a person would write it: an object or array that fits in `width` characters
 * stays on one line (`{"hello": "Ada", "items": [1, 2, 3]}`), a larger one takes a line per member,
 * indented by two. `JSON.stringify(value, null, 2)` gave every array item its own line, so a
 * three-number array took five lines and a small answer did not fit a presenter's panel.
 */

/** Characters a one-line object or array may take, its indentation included. */
export const JSON_LINE_WIDTH = 48;

/** `value` (parsed JSON) as text; `JSON.stringify`'s escaping and number forms throughout. */
export function layOutJson(value: unknown, width = JSON_LINE_WIDTH): string {
  return layOut(value, "", width);
}

/** `value` laid out at `indent`, after `lead` on its first line (a member's key). */
function layOut(value: unknown, indent: string, width: number, lead = ""): string {
  const flat = oneLine(value, width - indent.length - lead.length);
  if (flat !== null) return `${lead}${flat}`;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((item) => `${inner}${layOut(item, inner, width)}`);
    return `${lead}[\n${items.join(",\n")}\n${indent}]`;
  }
  const members = Object.entries(value as Record<string, unknown>).map(
    ([key, member]) => `${inner}${layOut(member, inner, width, `${JSON.stringify(key)}: `)}`,
  );
  return `${lead}{\n${members.join(",\n")}\n${indent}}`;
}

/**
 * `value` on one line (`", "` and `": "` between members), or null when it is an object or array
 * longer than `room`; scalars always fit. Gives up as soon as the line is too long, so that a
 * large body is not written out once per level of nesting.
 */
function oneLine(value: unknown, room: number): string | null {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const parts: string[] = [];
  let used = 2;
  const entries: [string | null, unknown][] = Array.isArray(value)
    ? value.map((item) => [null, item])
    : Object.entries(value);
  for (const [key, member] of entries) {
    const inner = oneLine(member, room - used);
    if (inner === null) return null;
    const part = key === null ? inner : `${JSON.stringify(key)}: ${inner}`;
    used += part.length + (parts.length > 0 ? 2 : 0);
    if (used > room) return null;
    parts.push(part);
  }
  const joined = parts.join(", ");
  return Array.isArray(value) ? `[${joined}]` : `{${joined}}`;
}
