/**
 * "Copy as curl": the request builder's request as one command for a POSIX shell.
 * Pure functions, so the quoting can be unit-tested by running the output with `sh -c`.
 */
import {
  bodyBytes,
  hasBody,
  headerPairs,
  pathAndQuery,
  type RequestDraft,
} from "./request-draft.ts";

/**
 * One shell word, in single quotes: inside them, the shell takes every byte literally (newlines
 * and UTF-8 included) except `'` itself, which is closed, escaped and reopened as `'\''`.
 */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * A `printf` format that writes `bytes` exactly: printable ASCII as itself, every other byte as a
 * three-digit octal escape (POSIX printf's `\ddd`), so NULs and invalid UTF-8 survive the shell.
 */
export function printfFormat(bytes: Uint8Array): string {
  let format = "";
  for (const byte of bytes) {
    const literal = byte >= 0x20 && byte < 0x7f && byte !== 0x25 && byte !== 0x5c && byte !== 0x27;
    format += literal ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, "0")}`;
  }
  return `'${format}'`;
}

/** Whether the bytes are UTF-8 text a shell word can carry (no NUL, which no argument can hold). */
function isShellText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The curl command sending `draft` to the endpoint at `endpointUrl` (`https://host/fn/id`),
 * printing the response's status line and headers (`-i`) before its body.
 */
export function curlCommand(draft: RequestDraft, endpointUrl: string): string {
  // Parsed as `fetch` parses it (spaces and quotes percent-encoded), so curl sends the same bytes.
  const url = new URL(`${endpointUrl}${pathAndQuery(draft)}`).href;
  const args = ["curl", "-i"];
  // curl reads [] and {} in URLs as its own globbing syntax.
  if (/[[\]{}]/.test(url)) args.push("--globoff");
  if (draft.method === "HEAD") args.push("--head");
  else if (draft.method !== "GET") args.push("-X", draft.method);
  args.push(shellQuote(url));

  const headers = headerPairs(draft);
  for (const [name, value] of headers) {
    // `name:` would make curl drop the header; `name;` is its syntax for an empty value.
    args.push("-H", shellQuote(value === "" ? `${name};` : `${name}: ${value}`));
  }

  if (!hasBody(draft.method)) return args.join(" ");
  const body = bodyBytes(draft);
  if (body.length === 0) return args.join(" ");
  // curl would label the body application/x-www-form-urlencoded; the builder sends no type unless told.
  if (!headers.some(([name]) => name === "content-type"))
    args.push("-H", shellQuote("content-type:"));
  if (isShellText(body)) {
    // --data-raw, unlike --data-binary, never reads a body starting with `@` as a file name.
    args.push("--data-raw", shellQuote(new TextDecoder().decode(body)));
    return args.join(" ");
  }
  args.push("--data-binary", "@-");
  return `printf ${printfFormat(body)} | ${args.join(" ")}`;
}

/** `curlCommand`, or a shell comment saying why there is none (an invalid base64 body, …). */
export function curlCommandOrWhy(draft: RequestDraft, endpointUrl: string): string {
  try {
    return curlCommand(draft, endpointUrl);
  } catch (error) {
    return `# ${error instanceof Error ? error.message : String(error)}`;
  }
}
