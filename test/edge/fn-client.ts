/** Calling public endpoints (`/fn/…`) of the app inside workerd, as curl would from outside. */
import { exports } from "cloudflare:workers";
import type { Language, WireResponse } from "../../workers/runtime-protocol.ts";
import { api, createSnippet, ORIGIN } from "./api-client.ts";

/** Sends `init` to `/fn/<ref><rest>` (`ref` is `id` or `id@N`; `rest` starts with `/` or `?`). */
export function callEndpoint(ref: string, rest = "/", init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(`${ORIGIN}/fn/${ref}${rest}`, init);
}

/** Saves `code` as a new snippet and returns its id. */
export async function saveSnippet(language: Language, code: string): Promise<string> {
  return (await createSnippet({ language, code })).id;
}

/** Stores every entry of `env` as a secret of snippet `id`, through the API. */
export async function setSecrets(id: string, token: string, env: Record<string, string>) {
  for (const [name, value] of Object.entries(env)) {
    const response = await api("PUT", `/api/snippets/${id}/env/${name}`, {
      token,
      body: { value, secret: true },
    });
    if (response.status !== 200) throw new Error(`PUT ${name}: ${await response.text()}`);
  }
}

/** Every 8-character piece of `secret`: an error may quote a value cut short (V8 shows 10 characters). */
export function piecesOf(secret: string): string[] {
  return Array.from({ length: secret.length - 7 }, (_, at) => secret.slice(at, at + 8));
}

/** Reads a whole response into the wire shape the fixtures compare against, counting the pieces its body came in. */
export async function asWireInPieces(
  response: Response,
): Promise<WireResponse & { pieces: number }> {
  const parts: Uint8Array[] = [];
  const reader = response.body?.getReader();
  for (;;) {
    const read = await reader?.read();
    if (!read || read.done) break;
    parts.push(read.value);
  }
  const body = new Uint8Array(parts.reduce((size, part) => size + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.byteLength;
  }
  return { status: response.status, headers: [...response.headers], body, pieces: parts.length };
}

/**
 * Makes the first Python isolate of a test file. It takes long under vitest (the Pyodide files,
 * 40 MB, reach workerd through Vite's module loader), so it is done once with its own timeout
 * rather than inside whichever test happens to run first.
 */
export async function warmUpPython(): Promise<void> {
  const id = await saveSnippet("python", "def handler(request):\n    return 'warm'\n");
  const response = await callEndpoint(id);
  if ((await response.text()) !== "warm") throw new Error(`warm-up answered ${response.status}`);
}

/** The timeout of `warmUpPython` in a `beforeAll`. */
export const PYTHON_WARM_UP_MS = 180_000;
