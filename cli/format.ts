/** How results look in a terminal. Pure functions, so they are unit-tested on sample data. */
import { STATUS_CODES } from "node:http";
import type { SnippetView, VersionSummary } from "../workers/api-types.ts";
import { toBase64 } from "../workers/bytes.ts";
import type * as callLog from "../workers/call-log-types.ts";
import type { HeaderPair } from "../workers/runtime-protocol.ts";

/** A string as one shell word, safe in sh/bash/zsh. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A curl command that calls the endpoint's root. */
export function curlLine(endpointUrl: string): string {
  return `curl -s ${shellQuote(`${endpointUrl}/`)}`;
}

/**
 * Control characters (escape sequences, carriage returns, C1 codes) and bidirectional overrides,
 * which a terminal would act on rather than show.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
const TERMINAL_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text that came from elsewhere (what a handler printed, often a caller's input; a snippet's
 * title; a request's path) as a terminal shows it: each control character written out as its
 * escape (`\x1b`), so that nobody's text can move the cursor, rewrite lines already shown, set the
 * window title or write to the clipboard (OSC 52) in the owner's terminal.
 */
export function forTerminal(text: string): string {
  return text.replace(TERMINAL_CONTROLS, (control) => {
    const code = control.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, "0")}`;
  });
}

/** `forTerminal` for text that must stay on its line (a title, a path): tabs and line breaks written out too. */
export function forTerminalLine(text: string): string {
  return forTerminal(text).replaceAll("\t", "\\t").replaceAll("\n", "\\n");
}

/** What `push` and `fork` print. */
export function formatSnippet(action: string, view: SnippetView): string {
  const title = view.title ? ` “${forTerminalLine(view.title)}”` : "";
  // Every field comes from the server, which `--server` may name: none reaches the terminal raw.
  const safe = forTerminalLine;
  return [
    `${action} ${safe(view.id)}${title} (${safe(view.language)}), version ${safe(String(view.version))}`,
    `  share:    ${safe(view.shareUrl)}`,
    `  endpoint: ${safe(view.endpointUrl)}`,
    `  try:      ${safe(curlLine(view.endpointUrl))}`,
  ].join("\n");
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  return `${(size / 1024).toFixed(1)} KB`;
}

/** An ISO time as `YYYY-MM-DD HH:MM:SS` UTC: fixed width, sortable. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : `${date.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

export function formatVersions(id: string, versions: VersionSummary[]): string {
  const rows = versions.map(
    ({ version, createdAt, size }, index) =>
      `  @${String(version).padEnd(4)} ${formatTime(createdAt)}  ${formatBytes(size).padStart(8)}${index === 0 ? "  latest" : ""}`,
  );
  return [`${id}: ${versions.length} version${versions.length === 1 ? "" : "s"}`, ...rows].join(
    "\n",
  );
}

/** The fields of a call-log record (`GET /api/snippets/:id/calls`) that `logs` shows. */
export type CallRecord = Pick<
  callLog.CallRecord,
  | "seq"
  | "at"
  | "version"
  | "method"
  | "path"
  | "query"
  | "status"
  | "durationMs"
  | "logs"
  | "error"
> &
  Partial<Pick<callLog.CallRecord, "logsDropped" | "errorSource">>;

/** A page of the call log, newest first; `next` is the `before` cursor of the older page. */
export interface CallPage extends Omit<callLog.CallPage, "calls"> {
  calls: CallRecord[];
}

/** One call: a summary line, then its log lines and error, indented. */
export function formatCall(call: CallRecord): string {
  const target = forTerminalLine(`${call.path}${call.query ? `?${call.query}` : ""}`);
  const source = call.errorSource ? ` (${call.errorSource} error)` : "";
  const lines = [
    `${formatTime(call.at)}  @${call.version}  ${forTerminalLine(call.method)} ${target}  ${call.status}${source}  ${Math.round(call.durationMs)} ms`,
  ];
  for (const entry of call.logs) {
    const mark = entry.stream === "stderr" ? "!" : "|";
    // A line break in a printed line keeps its mark: no text passes for a call of its own.
    for (const line of forTerminal(entry.text).split("\n")) lines.push(`    ${mark} ${line}`);
  }
  if (call.logsDropped) lines.push(`    … ${call.logsDropped} more log lines not kept`);
  if (call.error) {
    const at = call.error.line ? ` (line ${call.error.line})` : "";
    const message = forTerminal(`${call.error.type}: ${call.error.message}`).split("\n");
    lines.push(`    ✗ ${message.join("\n      ")}${at}`);
  }
  return lines.join("\n");
}

/** The status line and headers of a response, as `curl -i` shows them (the handler's, escaped). */
export function formatResponseHead(status: number, headers: HeaderPair[]): string {
  const reason = STATUS_CODES[status] ?? "";
  return [
    `HTTP ${status} ${reason}`.trimEnd(),
    ...headers.map(([name, value]) => `${forTerminalLine(name)}: ${forTerminalLine(value)}`),
  ].join("\n");
}

/**
 * A body as a terminal shows it: as UTF-8 text, escaped (`forTerminal`), ending with a line break
 * so that the prompt after it does not hide its end. (A pipe gets the bytes exactly instead.)
 */
export function bodyForTerminal(body: Uint8Array): string {
  const text = forTerminal(new TextDecoder().decode(body));
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** A body as JSON: text when it is UTF-8, else base64 (the fixtures' `FixtureBody` shape). */
export function bodyForJson(body: Uint8Array): { text: string } | { base64: string } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(body) };
  } catch {
    return { base64: toBase64(body) };
  }
}
