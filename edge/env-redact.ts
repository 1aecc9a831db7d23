/**
 * Taking a snippet's env values out of text that fnpad sends on or records: a handler's error
 * (in the isolate, before it leaves) and the call log. No D1 or crypto here: the isolate glue
 * bundles it too.
 */
import type { HandlerEnv } from "../workers/runtime-protocol.ts";

/** Values shorter than this are left alone: they would blank out ordinary text. */
const REDACTED_MIN_CHARS = 4;

/**
 * Runs of this many characters copied out of a value are taken out too: error messages quote a
 * value cut short (V8's `JSON.parse` shows its first 10 characters, Python's `int()` 200) and the
 * call log cuts long lines, so a value need not appear whole to give most of it away.
 */
const FRAGMENT_CHARS = 8;

/** Replaces env values in text with `[env NAME]`; built once per env, used on many texts. */
export type EnvRedactor = (text: string) => string;

/**
 * A redactor for `env`: every value of at least 4 characters (variables too: a handler cannot
 * tell the caller which of them are secret) is replaced, longest first, by `[env NAME]`, and then
 * every run of text made of 8-character pieces of a value, whole or not.
 */
export function envRedactor(env: HandlerEnv): EnvRedactor {
  const entries = Object.entries(env)
    .filter(([, value]) => value.length >= REDACTED_MIN_CHARS)
    .sort(([, a], [, b]) => b.length - a.length);
  if (entries.length === 0) return (text) => text;
  let pieces: Map<string, string> | undefined;
  return (text) => {
    let redacted = text;
    for (const [name, value] of entries) redacted = redacted.replaceAll(value, `[env ${name}]`);
    if (redacted.length < FRAGMENT_CHARS) return redacted;
    pieces ??= valuePieces(entries);
    return redactPieces(redacted, pieces);
  };
}

/** `text` with its env values taken out (see `envRedactor`). */
export function redactEnvValues(text: string, env: HandlerEnv): string {
  return envRedactor(env)(text);
}

/** Every `FRAGMENT_CHARS`-long piece of the values, with the name of the (longest) value it is from. */
function valuePieces(entries: [string, string][]): Map<string, string> {
  const pieces = new Map<string, string>();
  for (const [name, value] of entries) {
    for (let at = 0; at + FRAGMENT_CHARS <= value.length; at += 1) {
      const piece = value.slice(at, at + FRAGMENT_CHARS);
      if (!pieces.has(piece)) pieces.set(piece, name);
    }
  }
  return pieces;
}

/** Replaces each stretch of `text` covered by overlapping pieces of a value with `[env NAME]`. */
function redactPieces(text: string, pieces: Map<string, string>): string {
  let redacted = "";
  let copied = 0;
  let at = 0;
  while (at + FRAGMENT_CHARS <= text.length) {
    const name = pieces.get(text.slice(at, at + FRAGMENT_CHARS));
    if (name === undefined) {
      at += 1;
      continue;
    }
    let end = at + FRAGMENT_CHARS;
    while (end < text.length && pieces.has(text.slice(end + 1 - FRAGMENT_CHARS, end + 1))) end += 1;
    redacted += `${text.slice(copied, at)}[env ${name}]`;
    copied = end;
    at = end;
  }
  return redacted + text.slice(copied);
}
