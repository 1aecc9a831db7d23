// Gives local runs (`npm run dev`, the e2e server) an ENV_KEY: on first run it writes 32 random
// bytes, base64, to `.dev.vars` (gitignored; wrangler dev reads it), and keeps an existing key,
// so secrets stored in the local D1 stay readable. Offline; production uses `wrangler secret put`.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DEV_VARS = fileURLToPath(new URL("../.dev.vars", import.meta.url));

/** Ensures `.dev.vars` has an `ENV_KEY` line; returns whether it wrote one. */
export function ensureDevEnvKey(path: string = DEV_VARS): boolean {
  const existing = existsSync(path) ? readFileSync(path, "utf8") : "";
  if (/^ENV_KEY\s*=/m.test(existing)) return false;
  const line = `ENV_KEY=${randomBytes(32).toString("base64")}\n`;
  const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
  writeFileSync(path, `${existing}${separator}${line}`, { mode: 0o600 });
  // `mode` applies only to a file it creates: one written by hand before holds the key now too.
  chmodSync(path, 0o600);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (ensureDevEnvKey()) console.log("Wrote a local ENV_KEY to .dev.vars (kept out of git)");
}
