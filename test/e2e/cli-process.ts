/** Runs the `fnpad` command as a user does: the package's bin, in a child process, with its own config. */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../cli/bin.js", import.meta.url));

/** A scratch folder for handler files and the config, removed when the tests end. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "fnpad-cli-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  /** Extra environment (FNPAD_CONFIG_DIR, FNPAD_SERVER, …). */
  env: Record<string, string>;
  input?: string;
  /** Run the bin with this Node instead of the one its shebang finds. */
  node?: string;
}

export function fnpad(args: string[], options: CliOptions): Promise<CliResult> {
  const [command, commandArgs] = options.node ? [options.node, [BIN, ...args]] : [BIN, args];
  const child = spawn(command, commandArgs, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
  child.stdin.end(options.input ?? "");
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const stdoutBytes = Buffer.concat(out);
      const stdout = stdoutBytes.toString("utf8");
      resolve({ code, stdout, stdoutBytes, stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

/** A readable account of a run, for assertion messages. */
export function shown(result: CliResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/** The URL of a local port nothing listens on (it was free a moment ago). */
export function deadServerUrl(): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = createServer().on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(`http://127.0.0.1:${port}`));
    });
  });
}

/** A long-running `fnpad` (`logs --follow`): its output so far, a wait for a line, and the stop. */
export interface FollowingCli {
  /** Resolves with stdout once it matches `pattern`; rejects after `timeoutMs` with what came. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Ends the process (as a supervisor does: SIGINT is for the terminal's whole group) and resolves once it exited. */
  stop(): Promise<void>;
}

export function follow(args: string[], options: CliOptions): FollowingCli {
  const child = spawn(BIN, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  return {
    async waitFor(pattern, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (!pattern.test(stdout)) {
        if (performance.now() > deadline || child.exitCode !== null) {
          throw new Error(
            `no ${pattern} in ${timeoutMs} ms\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return stdout;
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
