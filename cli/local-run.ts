/**
 * `fnpad run`: the handler runs in a child Node (`run-child.ts`) through the browser's own
 * runtimes, so it answers as in the browser and at the edge. The handler may be anyone's (`pull`
 * writes other people's snippets to files), so that Node runs under Node's permission model: it
 * may read only the runtimes' own files (this package's, and Pyodide's), write no file, start no
 * process, worker or addon, and gets no environment (no config path, no tokens). What it answers
 * comes back over IPC as plain data, and everything of the handler's is shown escaped.
 */
import { fork } from "node:child_process";
import { existsSync, lstatSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { LogEntry, RunResult } from "../workers/runtime-protocol.ts";
import { type Context, option } from "./context.ts";
import { CliError, EXIT, type ExitCode, runExitCode } from "./exit.ts";
import { bodyForJson, bodyForTerminal, formatResponseHead, forTerminal } from "./format.ts";
import { languageOf, readHandler } from "./remote.ts";
import { buildRunRequest, parseEnvEntry } from "./request.ts";
import type { RunOrder, RunReport } from "./run-child.ts";

/**
 * The child's entry: `run-child.ts` beside this file in a checkout; in the packaged build (one
 * bundle, `cli/dist/main.js`) the `run-child.js` that `tools/build-cli.ts` builds beside it.
 */
const CHILD = fileURLToPath(
  new URL(import.meta.url.endsWith(".ts") ? "./run-child.ts" : "./run-child.js", import.meta.url),
);

/** The first `node_modules/NAME` Node's resolution finds from `from` upwards, as Node finds it. */
function packageDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * What the child may read: the CLI's own modules and the dependencies they load, each as Node
 * names it while resolving (through a symlinked `node_modules`) and as it really is.
 */
export function readablePaths(child = CHILD): string[] {
  const cli = dirname(child);
  const paths = child.endsWith(".ts")
    ? // A checkout: cli/ and workers/ (the runtimes' TypeScript), the package.json that makes
      // them modules, and the project's node_modules (sucrase, acorn, pyodide).
      [cli, join(cli, "../workers"), join(cli, "../package.json"), join(cli, "../node_modules")]
    : // The package (cli/dist/): its own files, and Pyodide (its one dependency left unbundled).
      [join(cli, "../.."), packageDir("pyodide", cli) ?? []].flat();
  return [...new Set(paths.flatMap((path) => [path, ...symlinksOn(path), realpathOr(path)]))];
}

/**
 * The symbolic links Node's `realpath` passes through on `path` (a linked `node_modules` or
 * package): each must be readable for resolution to get past it. A link to a folder gives reading
 * of that folder through its name, so only a chain of links (a dev layout) widens the grant.
 */
function symlinksOn(path: string, found: string[] = []): string[] {
  const parts = path.split(sep).filter(Boolean);
  let current: string = sep;
  for (const [index, part] of parts.entries()) {
    const next = join(current, part);
    let target: string | undefined;
    try {
      target = lstatSync(next).isSymbolicLink() ? readlinkSync(next) : undefined;
    } catch {
      return found;
    }
    if (target !== undefined) {
      found.push(next);
      if (found.length > 32) return found;
      return symlinksOn(join(resolve(current, target), ...parts.slice(index + 1)), found);
    }
    current = next;
  }
  return found;
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Node's flags for the child: the permission model on (`--permission` from Node 22.13/23.5, the
 * experimental flag before, on the Node 20 an installed package may run on), reads allowed where
 * `readablePaths` says, and nothing else allowed: no file writes, child processes, workers, WASI
 * or addons. Node 24's model does not cover the network: the handler may `fetch`, as everywhere.
 */
export function childFlags(paths = readablePaths()): string[] {
  const reads = paths.map((path) => `--allow-fs-read=${path}`);
  if (process.allowedNodeEnvironmentFlags.has("--permission")) return ["--permission", ...reads];
  return ["--experimental-permission", ...reads];
}

async function requestBody(data: string | undefined): Promise<Uint8Array | undefined> {
  if (data === undefined) return undefined;
  if (!data.startsWith("@")) return new TextEncoder().encode(data);
  const file = data.slice(1);
  try {
    return new Uint8Array(file === "-" ? readFileSync(0) : await readFile(file));
  } catch (error) {
    throw new CliError(
      EXIT.usage,
      `Cannot read the body from ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}

export function parseTimeout(value: string | undefined): number {
  const ms = Number(value ?? 5000);
  if (!Number.isFinite(ms) || ms <= 0)
    throw new CliError(
      EXIT.usage,
      `--timeout must be milliseconds > 0, not ${JSON.stringify(value)}`,
    );
  return ms;
}

export async function run(context: Context): Promise<ExitCode> {
  const [file = ""] = context.invocation.positionals;
  const language = languageOf(file);
  const code = await readHandler(file);
  const headers = context.invocation.options.header;
  const request = buildRunRequest({
    method: option(context, "method"),
    path: option(context, "path"),
    headers: Array.isArray(headers) ? headers.map(String) : [],
    body: await requestBody(option(context, "data")),
  });
  const envEntries = context.invocation.options.env;
  const env = Object.fromEntries(
    (Array.isArray(envEntries) ? envEntries.map(String) : []).map(parseEnvEntry),
  );
  const budgetMs = parseTimeout(option(context, "timeout"));
  const json = context.invocation.json;
  const outcome = await runInChild({ language, code, request, env, budgetMs }, (entry) => {
    if (!json) process.stderr.write(`${forTerminal(entry.text)}\n`);
  });
  if (outcome === "expired") {
    context.note(`The run was stopped: it did not answer within ${budgetMs} ms`);
    if (json) process.stdout.write(`${JSON.stringify({ stopped: true })}\n`);
    return EXIT.stopped;
  }
  const exitCode = runExitCode(outcome);
  const stopped = exitCode === EXIT.stopped;
  const { response } = outcome;
  if (json) {
    const { status, headers: responseHeaders, body } = response;
    const data = {
      status,
      headers: responseHeaders,
      body: bodyForJson(body),
      logs: outcome.logs,
      durationMs: outcome.durationMs,
      error: outcome.error,
      stopped,
    };
    process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatResponseHead(response.status, response.headers)}\n\n`);
    // A terminal shows the body as text, escaped; a pipe gets the bytes exactly.
    process.stdout.write(process.stdout.isTTY ? bodyForTerminal(response.body) : response.body);
    if (outcome.error)
      process.stderr.write(
        `\n${forTerminal(outcome.error.traceback || `${outcome.error.type}: ${outcome.error.message}`)}\n`,
      );
    if (stopped) context.note(`\nThe run was stopped by its time or work budget (${budgetMs} ms)`);
  }
  return exitCode;
}

/** Whether `value` has the shape of a `RunResult` everything printed from it relies on. */
function isRunResult(value: RunResult | undefined): value is RunResult {
  const isText = (text: unknown) => typeof text === "string";
  const response = value?.response;
  return (
    typeof response?.status === "number" &&
    response.body instanceof Uint8Array &&
    Array.isArray(response.headers) &&
    response.headers.every((pair) => Array.isArray(pair) && pair.every(isText)) &&
    Array.isArray(value?.logs) &&
    value.logs.every((entry) => isText(entry?.text)) &&
    (value.error === undefined ||
      (isText(value.error.type) &&
        isText(value.error.message) &&
        (value.error.traceback === undefined || isText(value.error.traceback))))
  );
}

/** How much of the child's stderr is kept, to say why it ended without answering. */
const KEPT_STDERR = 4096;

/**
 * Runs `order` in a restricted child Node: its log lines go to `onLog` as they come; resolves
 * with the run's result, or "expired" when it did not answer within the budget (plus 100 ms for
 * an async handler that never settles, or a synchronous loop nothing else stops) once loaded.
 */
function runInChild(
  order: RunOrder,
  onLog: (entry: LogEntry) => void,
): Promise<RunResult | "expired"> {
  const child = fork(CHILD, [], {
    execArgv: childFlags(),
    env: {},
    // Nothing the handler writes to the child's own stdout reaches the terminal.
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    // Structured clone: the bodies' bytes cross as Uint8Arrays.
    serialization: "advanced",
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-KEPT_STDERR);
  });
  let loaded = false;
  let timer: NodeJS.Timeout | undefined;
  return new Promise<RunResult | "expired">((resolve, reject) => {
    // The handler can reach the channel too (`process.send`): nothing sent is taken on trust.
    child.on("message", (message: RunReport) => {
      if (message?.type === "log") {
        if (typeof message.entry?.text === "string") onLog(message.entry);
      } else if (message?.type === "loaded" && !loaded) {
        loaded = true;
        timer = setTimeout(() => resolve("expired"), order.budgetMs + 100);
      } else if (message?.type === "result") {
        if (isRunResult(message.result)) resolve(message.result);
        else reject(new CliError(EXIT.handlerError, "The handler's process sent no valid answer"));
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      const why = stderr.trim() ? `:\n${forTerminal(stderr.trim())}` : "";
      reject(
        new CliError(
          loaded ? EXIT.handlerError : EXIT.server,
          `The handler's process ended without an answer (${signal ?? `exit ${code}`})${why}`,
        ),
      );
    });
    child.send(order);
  }).finally(() => {
    clearTimeout(timer);
    child.removeAllListeners("exit");
    child.kill("SIGKILL");
  });
}
