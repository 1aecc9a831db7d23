/**
 * Runner processes of `npm run dev` and their supervision. Each runner is a `wrangler dev` of
 * `edge/runner/` on a fixed port (the app knows it for the whole session). Once a second it is
 * health-checked; it is replaced when it has not answered for longer than a run's deadline
 * (a snippet spinning on its thread: the app has already answered that run with a 503), when its
 * process is gone or refuses connections, or when its workerd processes are over the memory cap:
 * at once when it is stuck, else once drained (never in the middle of runs it is answering).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DRAINED_LINGER_MS,
  RUN_DEADLINE_MS,
  RUNNER_TOKEN_HEADER,
  STUCK_AFTER_MS,
} from "../edge/runner/limits.ts";
import { CHILD_ENV, freePort, probe, spawnGroup, stopGroup, workerdRss } from "./processes.ts";

const CHECK_EVERY_MS = 1000;
/** Refused connections for this long mean its workerd is gone (wrangler may stay up without it). */
const DEAD_AFTER_MS = 3000;
const STARTUP_TIMEOUT_MS = 120_000;
const DRAIN_GRACE_MS = 1500;
/** A runner over its memory cap that has not answered for this long is replaced without draining. */
const OVER_CAP_SILENCE_MS = 5000;
/** One memory recycle at a time, so that the other runners take over the recycled one's snippets. */
let recycling = false;

/** How many times a runner that exits while starting is started again, on other ports. */
const START_ATTEMPTS = 3;

/**
 * V8's settings for the runners' workerd, which holds one isolate per snippet: a young generation
 * of at most 1 MB (V8 otherwise grows it to several MB in an isolate that allocates much, as
 * Pyodide's boot does, and keeps it) and V8's memory-saving heuristics. A Python isolate then adds
 * ~39 MB to its runner rather than ~49 MB, for ~0.05 ms more per warm call (`bench/memory.ts`,
 * `bench/edge.ts`). Local only: production's isolates are Cloudflare's to tune.
 */
export const RUNNER_V8_FLAGS = "--max-semi-space-size=1 --optimize-for-size";

/** A runner whose process exited before it answered. */
class ExitedEarly extends Error {}

export interface RunnerOptions {
  index: number;
  token: string;
  memoryCapBytes: number;
  /** V8 flags for its workerd (`RUNNER_V8_FLAGS`; "" for V8's defaults). */
  v8Flags: string;
}

export class RunnerProcess {
  readonly name: string;
  url = "";
  child: ChildProcess | undefined;
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
    for (let attempt = 1; ; attempt += 1) {
      if (this.stopped) return;
      this.port = await freePort();
      this.inspectorPort = await freePort();
      this.url = `http://127.0.0.1:${this.port}`;
      try {
        await this.launch();
        break;
      } catch (error) {
        // A port taken before wrangler bound it: the next attempt gets others.
        if (attempt === START_ATTEMPTS || !(error instanceof ExitedEarly)) throw error;
        console.error(`[supervisor] ${this.name}: ${error.message}; again on other ports`);
      }
    }
    this.timer = setInterval(() => {
      this.check().catch((error: unknown) => console.error(`[supervisor] ${this.name}:`, error));
    }, CHECK_EVERY_MS);
  }

  private async launch(): Promise<void> {
    if (this.stopped) return;
    // At a lower priority than the app: a runner spinning on a core must not slow the app down.
    this.child = spawnGroup(
      this.name,
      "nice",
      [
        ...["-n", "10", "wrangler", "dev"],
        ...["-c", "edge/runner/wrangler.jsonc", "--name", `fnpad-${this.name}`],
        ...["--ip", "127.0.0.1", "--port", String(this.port)],
        ...["--inspector-port", String(this.inspectorPort), "--persist-to", this.state],
        ...["--var", `RUNNER_TOKEN:${this.options.token}`, "--show-interactive-dev-session=false"],
      ],
      // miniflare hands these to workerd's V8.
      { ...CHILD_ENV, MINIFLARE_WORKERD_V8_FLAGS: this.options.v8Flags },
    );
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (Date.now() < deadline && !this.stopped) {
      const { exitCode, signalCode } = this.child;
      if (exitCode !== null || signalCode !== null)
        throw new ExitedEarly(`it exited while starting (${exitCode ?? signalCode})`);
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
    // Anything but its own 200 (wrangler answering for a broken workerd, say) counts as refused.
    const answered = answer !== "timeout" && answer !== "refused" && answer.ok;
    if (answered) this.lastAnswer = this.lastConnected = now;
    else if (answer === "timeout") this.lastConnected = now;
    const rss = this.child.pid === undefined ? undefined : workerdRss(this.child.pid);
    const overCap = rss !== undefined && rss > this.options.memoryCapBytes;
    const memory = `its workerd uses ${Math.round((rss ?? 0) / 2 ** 20)} MB (cap ${this.options.memoryCapBytes / 2 ** 20} MB)`;
    if (this.child.exitCode !== null || this.child.signalCode !== null)
      await this.replace("its process exited");
    else if (now - this.lastConnected > DEAD_AFTER_MS) await this.replace("it refuses connections");
    else if (now - this.lastAnswer > STUCK_AFTER_MS)
      await this.replace(`it has not answered for ${Math.round((now - this.lastAnswer) / 1000)} s`);
    // Over the cap and silent for a while: thrashing, or stuck. One slow answer is not enough (a
    // runner booting a Python isolate on a loaded machine misses one): it would end its calls.
    else if (overCap && answer === "timeout" && now - this.lastAnswer > OVER_CAP_SILENCE_MS)
      await this.replace(`${memory}, not answering`);
    else if (overCap && answered && !recycling) {
      recycling = true;
      await this.replace(`${memory}, once drained`, true).finally(() => {
        recycling = false;
      });
    }
  }

  /**
   * Drains it (it refuses new runs, which the app sends to another runner, and finishes those in
   * flight, for at most a run's deadline), so that recycling it ends no run.
   */
  private async drain(): Promise<void> {
    const headers = { [RUNNER_TOKEN_HEADER]: this.options.token };
    const drained = await fetch(`${this.url}/drain`, {
      method: "POST",
      headers,
      signal: AbortSignal.timeout(CHECK_EVERY_MS),
    }).catch(() => undefined);
    if (!drained?.ok) return;
    // Long enough for the app to hear "draining" on calls already on their way, and to stop
    // sending new ones (its health check now says draining).
    await new Promise((resolve) => setTimeout(resolve, DRAIN_GRACE_MS));
    const until = Date.now() + RUN_DEADLINE_MS;
    while (Date.now() < until) {
      const answer = await probe(`${this.url}/health`, CHECK_EVERY_MS);
      if (answer === "timeout" || answer === "refused" || !answer.ok) return;
      const { running } = (await answer.json()) as { running: number };
      if (running === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Idle now, but the app may still take it for up, having heard from it just before: it keeps
    // refusing as draining until the app checks its health before each use.
    await new Promise((resolve) => setTimeout(resolve, DRAINED_LINGER_MS));
  }

  /** Replaces the process with a new one on the same port. */
  private async replace(why: string, drainFirst = false): Promise<void> {
    if (this.replacing || this.stopped) return;
    this.replacing = true;
    console.error(`[supervisor] replacing ${this.name}: ${why}`);
    try {
      // Whatever happens while draining, it is recycled: a runner left draining would run nothing.
      if (drainFirst) await this.drain().catch(() => undefined);
      if (this.child) await stopGroup(this.child, 1000);
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
