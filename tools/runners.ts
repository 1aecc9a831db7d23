/**
 * Runner processes of `npm run dev` and their supervision. Each runner is a `wrangler dev` of
 * `edge/runner/` on a fixed port (the app knows it for the whole session). Once a second it is
 * health-checked; it is replaced when it has not answered for longer than a run's deadline
 * (a snippet spinning on its thread: the app has already answered that run with a 503), when its
 * process is gone or refuses connections, or when its process tree is over the memory cap while
 * idle or stuck (never in the middle of runs it is answering).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STUCK_AFTER_MS } from "../edge/runner/limits.ts";
import { freePort, groupRss, probe, spawnGroup, stopGroup } from "./processes.ts";

const CHECK_EVERY_MS = 1000;
/** Refused connections for this long mean its workerd is gone (wrangler may stay up without it). */
const DEAD_AFTER_MS = 3000;
const STARTUP_TIMEOUT_MS = 120_000;

export interface RunnerOptions {
  index: number;
  token: string;
  memoryCapBytes: number;
}

export class RunnerProcess {
  readonly name: string;
  url = "";
  child: ChildProcess | undefined;
  restarts = 0;
  private port = 0;
  private inspectorPort = 0;
  private readonly state = mkdtempSync(join(tmpdir(), "fnpad-runner-"));
  private lastAnswer = 0;
  private lastConnected = 0;
  private replacing = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  private readonly options: RunnerOptions;

  constructor(options: RunnerOptions) {
    this.options = options;
    this.name = `runner-${options.index}`;
  }

  /** Starts it on free ports (kept across restarts) and resolves once it answers. */
  async start(): Promise<void> {
    this.port = await freePort();
    this.inspectorPort = await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    await this.launch();
    this.timer = setInterval(() => void this.check(), CHECK_EVERY_MS);
  }

  private async launch(): Promise<void> {
    this.child = spawnGroup(this.name, "wrangler", [
      "dev",
      ...["-c", "edge/runner/wrangler.jsonc", "--name", `fnpad-${this.name}`],
      ...["--ip", "127.0.0.1", "--port", String(this.port)],
      ...["--inspector-port", String(this.inspectorPort), "--persist-to", this.state],
      ...["--var", `RUNNER_TOKEN:${this.options.token}`, "--show-interactive-dev-session=false"],
    ]);
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (Date.now() < deadline && !this.stopped) {
      const answer = await probe(`${this.url}/health`, 1000);
      if (answer !== "timeout" && answer !== "refused" && answer.ok) {
        this.lastAnswer = this.lastConnected = Date.now();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (!this.stopped) throw new Error(`${this.name} did not start within 120 s`);
  }

  private async check(): Promise<void> {
    if (this.replacing || this.stopped || !this.child) return;
    const now = Date.now();
    const answer = await probe(`${this.url}/health`, CHECK_EVERY_MS);
    let running = -1;
    if (answer !== "timeout" && answer !== "refused") {
      this.lastAnswer = this.lastConnected = now;
      running = ((await answer.json().catch(() => ({}))) as { running?: number }).running ?? -1;
    } else if (answer === "timeout") {
      this.lastConnected = now;
    }
    const rss = this.child.pid === undefined ? undefined : groupRss(this.child.pid);
    const overCap = rss !== undefined && rss > this.options.memoryCapBytes;
    const megabytes = Math.round((rss ?? 0) / 2 ** 20);
    if (this.child.exitCode !== null || this.child.signalCode !== null)
      await this.replace("its process exited");
    else if (now - this.lastConnected > DEAD_AFTER_MS) await this.replace("it refuses connections");
    else if (now - this.lastAnswer > STUCK_AFTER_MS)
      await this.replace(`it has not answered for ${Math.round((now - this.lastAnswer) / 1000)} s`);
    else if (overCap && (running === 0 || answer === "timeout"))
      await this.replace(
        `it uses ${megabytes} MB (cap ${this.options.memoryCapBytes / 2 ** 20} MB)`,
      );
  }

  /** Replaces the process with a new one on the same port. */
  private async replace(why: string): Promise<void> {
    if (this.replacing || this.stopped) return;
    this.replacing = true;
    console.error(`[supervisor] replacing ${this.name}: ${why}`);
    try {
      if (this.child) await stopGroup(this.child, 1000);
      this.restarts += 1;
      await this.launch();
      console.error(`[supervisor] ${this.name} is back`);
    } catch (error) {
      console.error(`[supervisor] ${this.name}:`, error);
    } finally {
      this.replacing = false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    if (this.child) await stopGroup(this.child);
    rmSync(this.state, { recursive: true, force: true });
  }
}
