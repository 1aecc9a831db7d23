/**
 * Runaway snippets against the local setup of `npm run dev` (the supervisor, its runner
 * processes and the app), shared by `runaways.test.ts` and `bench/runaways.ts`. While one runaway
 * is in flight, the API, the SPA and two other endpoints are called over and over: one whose
 * snippet belongs to the runaway's runner, one whose snippet belongs to the other runner.
 */
import { runnerIndex } from "../../edge/runner/pool.ts";
import type { AppServer } from "../../tools/app-server.ts";
import { liftLimits } from "./endpoint-limits.ts";

/** Runner processes the supervisor starts by default (`tools/dev.ts --runners`). */
const RUNNERS = 2;

export interface Runaway {
  name: string;
  language: "python" | "typescript";
  code: string;
  /**
   * A 500 with this error from the handler itself also ends it rightly: Python may get its
   * `MemoryError` (wasm memory full) before its runner is replaced for memory.
   */
  ownError?: RegExp;
}

export const RUNAWAYS: Runaway[] = [
  {
    // 34 characters: exponential backtracking for minutes (30 took 10.5 s, too close to the deadline).
    name: "regex bomb",
    language: "typescript",
    code: 'export default function handler() {\n  return String(/^(a+)+$/.test("a".repeat(34) + "!"));\n}\n',
  },
  {
    // Recursion, no loop: the loop guard never runs.
    name: "fib(60)",
    language: "typescript",
    code: "function fib(n: number): number {\n  return n < 2 ? n : fib(n - 1) + fib(n - 2);\n}\nexport default function handler() {\n  return String(fib(60));\n}\n",
  },
  {
    name: "microtask spin",
    language: "typescript",
    code: "export default function handler() {\n  const spin = (): Promise<void> => Promise.resolve().then(spin);\n  return spin();\n}\n",
  },
  {
    // Ignoring SIGINT also ignores the KeyboardInterrupt the work guard raises.
    name: "Python while True, SIGINT ignored",
    language: "python",
    code: "import signal\n\ndef handler(request):\n    signal.signal(signal.SIGINT, signal.SIG_IGN)\n    while True:\n        pass\n",
  },
  {
    name: "allocates until it dies",
    language: "typescript",
    code: "export default function handler() {\n  const keep: number[][] = [];\n  while (true) keep.push(new Array(1 << 20).fill(1));\n}\n",
  },
  {
    // Pyodide's heap is wasm memory, which grows outside V8's JavaScript heap.
    name: "Python allocates until it dies",
    language: "python",
    code: "def handler(request):\n    keep = []\n    while True:\n        keep.append(bytearray(1 << 20))\n",
    ownError: /"type":"MemoryError"/,
  },
];

const NORMAL = {
  typescript: 'export default function handler() {\n  return "ok";\n}\n',
  python: 'def handler(request):\n    return "ok"\n',
} as const;

export async function createSnippet(base: string, language: string, code: string): Promise<string> {
  const response = await fetch(`${base}/api/snippets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ language, code }),
  });
  if (!response.ok) throw new Error(`create: ${response.status} ${await response.text()}`);
  const { id, token } = (await response.json()) as { id: string; token: string };
  // Other endpoints are called every 200 ms while a runaway is in flight.
  await liftLimits(base, id, token);
  return id;
}

/** A normal snippet of `language` whose runner (by hash) is `runner`. */
async function normalOn(base: string, language: "python" | "typescript", runner: number) {
  for (;;) {
    const id = await createSnippet(base, language, NORMAL[language]);
    if (runnerIndex(id, RUNNERS) === runner) return id;
  }
}

interface Sample {
  ms: number;
  status: number;
}

async function timed(url: string): Promise<Sample> {
  const started = performance.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    await response.arrayBuffer();
    return { ms: performance.now() - started, status: response.status };
  } catch {
    return { ms: performance.now() - started, status: 0 };
  }
}

/** Calls `url` every 200 ms until `done` settles (the last call included). */
async function hammer(url: string, done: Promise<unknown>, delayMs = 0): Promise<Sample[]> {
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  const samples: Sample[] = [];
  // At least one call, even when the runaway was stopped before `delayMs`.
  while (!finished || samples.length === 0) {
    samples.push(await timed(url));
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return samples;
}

export interface Figures {
  name: string;
  /** The runaway's own answer. */
  status: number;
  message: string;
  seconds: number;
  /** Slowest answers while it was in flight, and every status seen, per probe. */
  api: Summary;
  spa: Summary;
  otherRunner: Summary;
  sameRunner: Summary;
  /** From the runaway's start until the supervisor had its runner back, if it was replaced. */
  replacedAfterSeconds: number | null;
  /** A normal snippet of the runaway's runner, called after that. */
  nextCallStatus: number;
}

export interface Summary {
  maxMs: number;
  statuses: number[];
}

function summary(samples: Sample[]): Summary {
  return {
    maxMs: Math.round(Math.max(0, ...samples.map((sample) => sample.ms))),
    statuses: [...new Set(samples.map((sample) => sample.status))],
  };
}

const count = (log: string[], word: string) => log.filter((line) => line.includes(word)).length;

/** Sends `runaway` and measures everything else while it is in flight. */
/** How many runners the supervisor has begun to replace so far (pass to `replacement`). */
export function replacementsSoFar(server: AppServer): number {
  return count(server.supervisorLog(), "replacing");
}

/**
 * Waits up to `waitMs` until the supervisor has replaced a runner since it had begun `before`
 * replacements, and every one it began is back; whether it did.
 */
export async function replacement(server: AppServer, before: number, waitMs: number) {
  const until = Date.now() + waitMs;
  while (Date.now() < until) {
    const log = server.supervisorLog();
    const replaced = count(log, "replacing");
    if (replaced > before && count(log, "is back") >= replaced) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

export async function attack(server: AppServer, runaway: Runaway): Promise<Figures> {
  const base = server.url;
  const id = await createSnippet(base, runaway.language, runaway.code);
  const mine = runnerIndex(id, RUNNERS);
  const other = await normalOn(base, "python", (mine + 1) % RUNNERS);
  const same = await normalOn(base, "typescript", mine);
  // Warm both, so their figures are about the runaway, not a cold start.
  for (const snippet of [other, same]) await timed(`${base}/fn/${snippet}/`);
  const replacedBefore = replacementsSoFar(server);

  const started = performance.now();
  const run = fetch(`${base}/fn/${id}/`, { signal: AbortSignal.timeout(60_000) }).then(
    async (response) => ({ status: response.status, text: await response.text() }),
    (error: Error) => ({ status: 0, text: error.message }),
  );
  const [answer, api, spa, otherRunner, sameRunner] = await Promise.all([
    run,
    hammer(`${base}/api/health`, run),
    hammer(`${base}/`, run),
    hammer(`${base}/fn/${other}/`, run),
    // From 1.5 s on: a call that reaches the runaway's runner before the app sees it stalled
    // (1 s without progress) shares the runaway's fate.
    hammer(`${base}/fn/${same}/`, run, 1500),
  ]);
  const seconds = (performance.now() - started) / 1000;

  // A runner left stuck past the deadline must be replaced; one whose process died is replaced,
  // or back by itself; a runaway stopped in its isolate leaves its runner as it was.
  const waitMs = /deadline/.test(answer.text)
    ? 40_000
    : /runner stopped/.test(answer.text)
      ? 10_000
      : 0;
  const replaced = await replacement(server, replacedBefore, waitMs);
  const replacedAfterSeconds = replaced ? (performance.now() - started) / 1000 : null;
  let next = await timed(`${base}/fn/${same}/`);
  for (let tries = 0; next.status !== 200 && tries < 20; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    next = await timed(`${base}/fn/${same}/`);
  }
  return {
    name: runaway.name,
    status: answer.status,
    message: answer.text.slice(0, 200),
    seconds,
    api: summary(api),
    spa: summary(spa),
    otherRunner: summary(otherRunner),
    sameRunner: summary(sameRunner),
    replacedAfterSeconds,
    nextCallStatus: next.status,
  };
}

export function describeFigures(figures: Figures): string {
  const probe = (s: Summary) => `${s.maxMs} ms [${s.statuses.join(",")}]`;
  const replaced =
    figures.replacedAfterSeconds === null
      ? "not replaced"
      : `replaced after ${figures.replacedAfterSeconds.toFixed(1)} s`;
  const why = /"message":"([^"]*)"/.exec(figures.message)?.[1] ?? figures.message;
  return [
    `${figures.name}: ${figures.status} after ${figures.seconds.toFixed(1)} s (${why}); ${replaced}; next call ${figures.nextCallStatus}`,
    `  slowest while in flight: API ${probe(figures.api)}, SPA ${probe(figures.spa)}, ` +
      `other runner's endpoint ${probe(figures.otherRunner)}, same runner's endpoint ${probe(figures.sameRunner)}`,
  ].join("\n");
}
