/**
 * The per-user config: edit tokens and which local file is linked to which snippet. It holds
 * secrets, so it lives in the user's config folder (never the project folder) and is written
 * owner-only (0600, in a 0700 folder).
 */
import { chmod, mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { CliError, EXIT } from "./exit.ts";

/** Where a local file is saved to. */
export interface Link {
  server: string;
  id: string;
}

export interface Config {
  /** Edit tokens by `tokenKey(server, id)`. */
  tokens: Record<string, string>;
  /** Links by absolute file path. */
  links: Record<string, Link>;
}

export const CONFIG_FILE = "config.json";

/** `FNPAD_CONFIG_DIR`, else `$XDG_CONFIG_HOME/fnpad`, else `~/.config/fnpad`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FNPAD_CONFIG_DIR) return env.FNPAD_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "fnpad");
}

/** Tokens are per server: the same id on two servers is two snippets. */
export function tokenKey(server: string, id: string): string {
  return `${server} ${id}`;
}

export async function loadConfig(dir: string): Promise<Config> {
  const path = join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { tokens: {}, links: {} };
    throw new CliError(EXIT.usage, `Cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<Config>;
    return { tokens: { ...parsed.tokens }, links: { ...parsed.links } };
  } catch {
    throw new CliError(EXIT.usage, `${path} is not valid JSON; fix or remove it`);
  }
}

/**
 * Saves what this process changed since `base` (the config as it loaded it) onto the file as it is
 * now, under a lock: two commands at once (two `fnpad push` in two terminals) each keep their own
 * new token rather than the later write dropping the earlier one's. Returns the merged config.
 */
export async function saveConfig(dir: string, base: Config, config: Config): Promise<Config> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // `mode` applies only to a folder mkdir makes: one there before (made by hand, or by an older
  // fnpad) is made private too, since the tokens' file names and lock files live in it.
  await chmod(dir, 0o700);
  const path = join(dir, CONFIG_FILE);
  return withLock(`${path}.lock`, async () => {
    const latest = await loadConfig(dir);
    const merged: Config = {
      tokens: mergeChanges(base.tokens, config.tokens, latest.tokens),
      links: mergeChanges(base.links, config.links, latest.links),
    };
    // Written whole to a private temporary file, then renamed: never a half-written or readable file.
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, path);
    return merged;
  });
}

/** `latest` with every entry `ours` set, changed or removed relative to `base`. */
function mergeChanges<T>(
  base: Record<string, T>,
  ours: Record<string, T>,
  latest: Record<string, T>,
): Record<string, T> {
  const merged = { ...latest };
  for (const key of new Set([...Object.keys(base), ...Object.keys(ours)])) {
    const mine = ours[key];
    if (JSON.stringify(base[key]) === JSON.stringify(mine)) continue;
    if (mine === undefined) delete merged[key];
    else merged[key] = mine;
  }
  return merged;
}

/** A lock older than this was left by a process that died holding it. */
const STALE_LOCK_MS = 10_000;

/** Runs `action` holding the lock file at `path` (created exclusively, removed after). */
async function withLock<T>(path: string, action: () => Promise<T>): Promise<T> {
  for (let waited = 0; ; waited += 50) {
    try {
      await (await open(path, "wx", 0o600)).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const held = await stat(path).catch(() => null);
      const stale = held && (Date.now() - held.mtimeMs > STALE_LOCK_MS || waited > STALE_LOCK_MS);
      if (stale) await rm(path, { force: true });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    return await action();
  } finally {
    await rm(path, { force: true });
  }
}

/** Forgets a snippet: its token and every file linked to it. */
export function forget(config: Config, server: string, id: string): void {
  delete config.tokens[tokenKey(server, id)];
  for (const [file, link] of Object.entries(config.links)) {
    if (link.server === server && link.id === id) delete config.links[file];
  }
}
