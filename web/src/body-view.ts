import { headerValue } from "../../workers/http.ts";
import { LIMITS } from "../../workers/limits.ts";
import type { WireResponse } from "../../workers/runtime-protocol.ts";
import { JSON_LINE_WIDTH, layOutJson } from "./json-layout.ts";

/** How the response panel shows a body. */
export type BodyView =
  | { kind: "empty" }
  | { kind: "json"; text: string }
  | { kind: "html"; text: string }
  | { kind: "text"; text: string }
  | { kind: "binary"; size: number; hex: string };

/** Bytes shown in a binary body's hex preview. */
const HEX_PREVIEW_BYTES = 256;

/** Picks the view from the content type, falling back to sniffing whether the bytes are UTF-8 text. */
export function viewBody(response: WireResponse): BodyView {
  const { body } = response;
  if (body.length === 0) return { kind: "empty" };
  const type = (headerValue(response, "content-type") ?? "").toLowerCase();
  const text = decodeUtf8(body);
  if (/\bjson\b/.test(type) && text !== null) {
    try {
      // Laid out no longer than the largest body a run may send; past that, shown as it came.
      const laidOut = layOutJson(JSON.parse(text), JSON_LINE_WIDTH, LIMITS.responseBodyBytes);
      return { kind: "json", text: laidOut ?? text };
    } catch {
      return { kind: "text", text };
    }
  }
  if (type.startsWith("text/html") && text !== null) return { kind: "html", text };
  const texty = type.startsWith("text/") || /xml|javascript|charset=/.test(type) || type === "";
  if (texty && text !== null && !hasControlCharacters(text)) return { kind: "text", text };
  return { kind: "binary", size: body.length, hex: hexDump(body.subarray(0, HEX_PREVIEW_BYTES)) };
}

/** Whether `text` has control characters other than tab, newline, carriage return, form feed. */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 32 && code !== 9 && code !== 10 && code !== 12 && code !== 13) return true;
  }
  return false;
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Classic 16-bytes-a-line dump: offset, hex bytes, printable ASCII. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const chunk = [...bytes.subarray(offset, offset + 16)];
    const hex = chunk.map((byte) => byte.toString(16).padStart(2, "0")).join(" ");
    const ascii = chunk
      .map((byte) => (byte >= 32 && byte < 127 ? String.fromCharCode(byte) : "."))
      .join("");
    lines.push(`${offset.toString(16).padStart(8, "0")}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join("\n");
}
