// `npm run dev`: the app under `wrangler dev`, with snippets run in separate runner processes.
//
// Locally workerd runs every isolate of a process on one thread and ignores `limits`, so a
// snippet spinning in `for (;;) {}` would stall the API and the SPA with it. Here the app
// (`wrangler.jsonc`: SPA, API, D1) runs in one `wrangler dev` and snippets in a small pool of
// runner processes (`edge/runner/`), reached over local HTTP; the app answers a run that passes
// its deadline with a 503, and this supervisor replaces a runner that stays stuck, dies or grows
// past the memory cap. Ctrl+C (SIGINT/SIGTERM) stops every process it started.
//
// Usage: node tools/dev.ts [--no-build] [--runners 2] [--runner-memory-mb 2048]
//                          [--runner-v8-flags "<flags>" ("" for V8's defaults)]
//                          [any `wrangler dev` option for the app: --port, --ip, --persist-to, …]
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { ensureDevEnvKey } from "./dev-vars.ts";
import { killGroupNow, runToEnd, spawnGroup, stopGroup } from "./processes.ts";
import { RUNNER_V8_FLAGS, RunnerProcess } from "./runners.ts";

const args = process.argv.slice(2);

function take(name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const [, value] = args.splice(at, 2);
  return value;
}

function flag(name: string): boolean {
  const at = args.indexOf(name);
  if (at >= 0) args.splice(at, 1);
  return at >= 0;
}

const build = !flag("--no-build");
const runnerCount = Number(take("--runners") ?? 2);
const memoryCapMb = Number(take("--runner-memory-mb") ?? 2048);
const v8Flags = take("--runner-v8-flags") ?? RUNNER_V8_FLAGS;
const persistTo = take("--persist-to");
const persist = persistTo ? ["--persist-to", persistTo] : [];

const token = randomUUID();
const runners = Array.from(
  { length: runnerCount },
  (_, index) => new RunnerProcess({ index, token, memoryCapBytes: memoryCapMb * 2 ** 20, v8Flags }),
);
let app: ChildProcess | undefined;
let stopping = false;

/** Stops everything, then exits; later calls (a second Ctrl+C, the app exiting meanwhile) wait for the first. */
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all([...runners.map((runner) => runner.stop()), app && stopGroup(app)]);
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(130));
process.on("SIGTERM", () => void shutdown(143));
process.on("SIGHUP", () => void shutdown(129));
// Last resort (an uncaught error, say): no workerd may outlive the supervisor.
process.on("exit", () => {
  for (const child of [app, ...runners.map((runner) => runner.child)])
    if (child) killGroupNow(child);
});

/** Builds, migrates and starts the runners; false when stopped or failed on the way. */
async function prepare(): Promise<boolean> {
  try {
    // The app's secrets need a local ENV_KEY (`.dev.vars`, written on the first run, kept after).
    ensureDevEnvKey();
    if (build) await runToEnd("vite", ["build"]);
    await runToEnd("wrangler", ["d1", "migrations", "apply", "DB", "--local", ...persist]);
    // One at a time: each start compiles Pyodide's bundle, and the machine may have few cores.
    for (const runner of runners) {
      if (stopping) return false;
      await runner.start();
      console.error(`[supervisor] ${runner.name} on ${runner.url}`);
    }
    return !stopping;
  } catch (error) {
    if (!stopping) console.error("[supervisor]", error);
    await shutdown(1);
    return false;
  }
}

if (await prepare()) {
  app = spawnGroup("", "wrangler", [
    "dev",
    ...["--var", `FNPAD_RUNNERS:${runners.map((runner) => runner.url).join(",")}`],
    ...["--var", `RUNNER_TOKEN:${token}`, "--show-interactive-dev-session=false"],
    ...persist,
    ...args,
  ]);
  app.on("exit", (code) => {
    if (!stopping) console.error(`[supervisor] the app exited (${code}); stopping`);
    void shutdown(code ?? 1);
  });
}
