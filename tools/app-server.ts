/**
 * A local copy of the app for the end-to-end tests and the benchmarks: the production build
 * served as `npm run dev` serves it, on a free port, with local data of its own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDevEnvKey } from "./dev-vars.ts";
import { CHILD_ENV, freePort, ROOT, runToEnd, stopGroup } from "./processes.ts";

/** A running local copy of the app (the production build served by `wrangler dev`). */
export interface AppServer {
  /** Origin of the app, e.g. `http://127.0.0.1:8791`. */
  url: string;
  /** Process group of `wrangler dev` and the workerd under it (memory benchmarks read their RSS). */
  processGroup(): number | undefined;
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop`), with the same local data. */
  restart(): Promise<void>;
  /** What the dev supervisor has said so far (`[supervisor] …` lines: runners replaced, …). */
  supervisorLog(): string[];
}

/** How long `wrangler dev` gets to stop on SIGTERM before its process group is killed. */
const STOP_GRACE_MS = 5000;

let started: AppServer | undefined;

/** The server `startAppServer` started last: tests that take it down and bring it back use it. */
export function currentAppServer(): AppServer {
  if (!started) throw new Error("No app server was started (run the tests with test/e2e/run.ts)");
  return started;
}

/** Builds what `wrangler dev` serves: the web app into `dist/` (which also builds the edge's isolate glue). */
export function buildApp(): Promise<void> {
  return runToEnd("vite", ["build", "--logLevel", "warn"]);
}

/** What to serve: a wrangler config, and the path that answers 200 once it is up. */
export interface AppServerOptions {
  /** Wrangler config, relative to the repository root (default: the app's own). */
  config?: string;
  /** Path probed until it answers 200 (default `/`). */
  probe?: string;
  /** More `wrangler dev` arguments, e.g. `--var NAME:value`. */
  devArgs?: string[];
}

/**
 * Starts the app on a free port and resolves once it answers HTTP: the app's own config as
 * `npm run dev` does (the dev supervisor, `tools/dev.ts`: migrations, runner processes, then
 * `wrangler dev`), any other config with plain `wrangler dev`. Each server keeps its local data
 * (D1) in a new directory of its own, so a run never depends on, or disturbs, the data of
 * `npm run dev`.
 */
export async function startAppServer(options: AppServerOptions = {}): Promise<AppServer> {
  const { config = "wrangler.jsonc", probe = "/", devArgs = [] } = options;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const state = await mkdtemp(join(tmpdir(), "fnpad-state-"));
  process.once("exit", () => rmSync(state, { recursive: true, force: true }));
  const isApp = config === "wrangler.jsonc";
  // As `npm run dev` does: the app's secrets need a local ENV_KEY in `.dev.vars`.
  if (isApp) ensureDevEnvKey();
  const [command, first] = isApp ? ["node", ["tools/dev.ts", "--no-build"]] : ["wrangler", ["dev"]];
  // The supervisor hands arguments it does not know (`devArgs`) on to the app's `wrangler dev`.
  const args = [...first, "-c", config, "--persist-to", state, ...devArgs, "--port", String(port)];
  const supervisorLog: string[] = [];
  const launch = async () => launchServer(command, args, url + probe, supervisorLog);
  let child = await launch();
  const server: AppServer = {
    url,
    processGroup: () => child.pid,
    stop: () => stopGroup(child, STOP_GRACE_MS),
    restart: async () => {
      await stopGroup(child, STOP_GRACE_MS);
      child = await launch();
    },
    supervisorLog: () => [...supervisorLog],
  };
  if (isApp && devArgs.length === 0) started = server;
  return server;
}

async function launchServer(
  command: string,
  args: string[],
  probeUrl: string,
  supervisorLog: string[],
): Promise<ChildProcess> {
  const inspectorPort = await freePort();
  const child = spawn(
    command,
    [...args, "--ip", "127.0.0.1", "--inspector-port", String(inspectorPort)],
    // Its own process group, so that stopping it also ends what runs underneath.
    { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: CHILD_ENV },
  );
  let output = "";
  // One partial line per stream: a chunk may end in the middle of a line.
  const keeper = () => {
    let partial = "";
    return (chunk: Buffer) => {
      const text = chunk.toString();
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) if (line.startsWith("[supervisor]")) supervisorLog.push(line);
      output = (output + text).slice(-8000);
    };
  };
  child.stdout?.on("data", keeper());
  child.stderr?.on("data", keeper());
  try {
    await waitUntilServing(probeUrl, child);
  } catch (error) {
    await stopGroup(child, STOP_GRACE_MS);
    throw new Error(`${command} did not start: ${(error as Error).message}\n${output}`);
  }
  return child;
}

async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("timed out after 120 s");
}
