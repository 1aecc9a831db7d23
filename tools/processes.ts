/**
 * Child processes for the dev supervisor: each `wrangler dev` in a process group of its own, so
 * that stopping it also ends the workerd underneath (no orphans), and its memory can be summed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { PLACEHOLDER_CF } from "../workers/cf.ts";

/** The repository root: every command runs from there. */
export const ROOT = fileURLToPath(new URL("../", import.meta.url));

/**
 * `request.cf` for local servers: the browser's placeholder (`workers/cf.ts`), so that a handler
 * that reads it (`request.cf?.country`) answers the same in the browser and under `wrangler dev`.
 * Without it wrangler would fetch Cloudflare's `cf.json` from the internet (waiting up to 3 s
 * offline), and with fetching off miniflare's own fallback says Austin, Texas. Miniflare takes the
 * file only when written in the last 30 days, so it is written afresh by every process that starts
 * servers.
 */
const LOCAL_CF_PATH = `${ROOT}.wrangler/fnpad-cf.json`;
mkdirSync(`${ROOT}.wrangler`, { recursive: true });
writeFileSync(LOCAL_CF_PATH, JSON.stringify(PLACEHOLDER_CF));

/** The project's tools (and its pinned Node) first on the PATH; offline wrangler (no prompts, no metrics). */
export const CHILD_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${ROOT}node_modules/.bin:${process.env.PATH ?? ""}`,
  CI: "1",
  CLOUDFLARE_CF_FETCH_PATH: LOCAL_CF_PATH,
};
delete CHILD_ENV.CLOUDFLARE_CF_FETCH_ENABLED;

/**
 * Noise: wrangler's log line for every health check (once a second per runner), and workerd's
 * warning, at a runner's start, that V8 flags other than its build's (`RUNNER_V8_FLAGS`) keep it
 * from using its embedded compile cache for its own bootstrap scripts (they are compiled instead).
 */
const QUIET = /GET \/health 200|bootstrap compile cache failed its compatibility check/;

/** Starts `command` in its own process group, each output line prefixed with `label`. */
export function spawnGroup(
  label: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = CHILD_ENV,
): ChildProcess {
  const child = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  const prefix = label ? `[${label}] ` : "";
  for (const [stream, sink] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    let partial = "";
    stream?.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) if (!QUIET.test(line)) sink.write(`${prefix}${line}\n`);
    });
  }
  return child;
}

/** Runs a command to completion (output inherited); rejects when it fails. */
export function runToEnd(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", env: CHILD_ENV });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Ends a process group: SIGTERM, then SIGKILL after `graceMs`. Resolves once the group leader exited. */
export function stopGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once("exit", () => resolve()));
  signalGroup(child, "SIGTERM");
  const forced = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
  return exited.finally(() => {
    clearTimeout(forced);
    // workerd may outlive wrangler; nothing of the group may survive.
    signalGroup(child, "SIGKILL");
  });
}

/** Kills a process group at once (from an `exit` handler, where nothing asynchronous runs). */
export function killGroupNow(child: ChildProcess): void {
  signalGroup(child, "SIGKILL");
}

/** The process groups the supervisor (`pid`) started: its runners' and the app's `wrangler dev`. */
export function supervisedGroups(pid: number): { runners: number[]; app: number[] } {
  const found = { runners: [] as number[], app: [] as number[] };
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent !== pid) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      (command.includes("edge/runner/wrangler.jsonc") ? found.runners : found.app).push(
        Number(entry),
      );
    } catch {
      // Exited meanwhile.
    }
  }
  return found;
}

/**
 * Resident memory of the workerd processes in `pgid`'s group, in bytes: what snippets' isolates
 * use (wrangler's own Node and esbuild are left out). Linux `/proc`; undefined elsewhere, where
 * the memory cap is not enforced.
 */
export function workerdRss(pgid: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  let pages = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const command = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      // Fields after the command name, which may itself contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (command === "workerd" && Number(fields[2]) === pgid) pages += Number(fields[21]);
    } catch {
      // Exited meanwhile.
    }
  }
  return pages * 4096;
}

/**
 * Where `freePort` looks: below Linux's ephemeral range (32768–60999), which the kernel hands to
 * every `listen(0)` and outgoing connection. A port found free there can be taken by one of those
 * (a workerd's internal socket, say) before the child that was given it binds it; seen as
 * "Address already in use" from a runner. Below the range only an explicit bind can take it.
 */
const PORT_RANGE = { from: 20_000, size: 12_000 } as const;
/** Ports this process handed out: never twice, even once free again (a server restarting). */
const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on, for a child process to bind. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * PORT_RANGE.size);
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port in ${PORT_RANGE.from}–${PORT_RANGE.from + PORT_RANGE.size}`);
}

/** GETs `url` within `timeoutMs`: the response, "timeout", or "refused" (nothing listening, or it broke). */
export async function probe(
  url: string,
  timeoutMs: number,
): Promise<Response | "timeout" | "refused"> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return error instanceof Error && error.name === "TimeoutError" ? "timeout" : "refused";
  }
}
