// Scale benchmark: 1,000 distinct TypeScript snippets and 100 distinct Python snippets (each
// version its own isolate), added in rounds to the app as `npm run dev` runs it. After each
// round it prints the workerd memory (RSS) of the runner processes and of the app, and p50/p99
// of the round's first calls (new isolates) and of one more call to every snippet so far (warm,
// in shuffled order), so that the cost of each further snippet shows. Each language gets a
// server of its own. Runner replacements by the supervisor's memory cap (2048 MB a runner, as
// `npm run dev`, or `--runner-memory-mb`) are printed as they happen.
// Usage: node bench/scale.ts [--ts 1000] [--py 100] [--rounds 4] [--runner-memory-mb 2048] [--no-build]

import { buildApp, startAppServer } from "../tools/app-server.ts";
import { supervisedGroups, workerdRss } from "../tools/processes.ts";
import { percentile } from "./load.ts";

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const COUNTS = { typescript: arg("ts", 1000), python: arg("py", 100) } as const;
const ROUNDS = arg("rounds", 4);
const MB = 2 ** 20;

const codeFor = (language: "typescript" | "python", n: number) =>
  language === "python"
    ? `def handler(request):\n    return "ok"\n# snippet ${n}\n`
    : `export default function handler() {\n  return "ok";\n}\n// snippet ${n}\n`;

function memory(supervisor: number): string {
  const groups = supervisedGroups(supervisor);
  const sum = (pids: number[]) =>
    pids.reduce((total, pid) => total + (workerdRss(pid) ?? 0), 0) / MB;
  return `runners' workerd RSS ${sum(groups.runners).toFixed(0)} MB, app's ${sum(groups.app).toFixed(0)} MB`;
}

async function call(base: string, id: string, into: number[]): Promise<void> {
  const started = performance.now();
  const response = await fetch(`${base}/fn/${id}/`);
  const body = await response.text();
  into.push(performance.now() - started);
  if (body !== "ok")
    throw new Error(`/fn/${id}/ answered ${response.status}: ${body.slice(0, 200)}`);
}

const figures = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`;
};

function shuffled<T>(values: T[]): T[] {
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

if (!process.argv.includes("--no-build")) await buildApp();
const cap = process.argv.includes("--runner-memory-mb")
  ? ["--runner-memory-mb", String(arg("runner-memory-mb", 2048))]
  : [];
for (const language of ["typescript", "python"] as const) {
  const app = await startAppServer({ probe: "/api/health", devArgs: cap });
  try {
    const supervisor = app.processGroup();
    if (supervisor === undefined) throw new Error("the supervisor has no pid");
    let logged = 0;
    const ids: string[] = [];
    const perRound = Math.ceil(COUNTS[language] / ROUNDS);
    console.log(
      `${language}: ${COUNTS[language]} distinct snippets in ${ROUNDS} rounds; before: ${memory(supervisor)}`,
    );
    while (ids.length < COUNTS[language]) {
      const fresh: string[] = [];
      for (let i = 0; i < perRound && ids.length + fresh.length < COUNTS[language]; i += 1) {
        const response = await fetch(`${app.url}/api/snippets`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ language, code: codeFor(language, ids.length + i) }),
        });
        if (!response.ok) throw new Error(`POST /api/snippets: ${response.status}`);
        fresh.push(((await response.json()) as { id: string }).id);
      }
      const cold: number[] = [];
      for (const id of fresh) await call(app.url, id, cold);
      ids.push(...fresh);
      const warm: number[] = [];
      for (const id of shuffled(ids)) await call(app.url, id, warm);
      console.log(
        `  ${String(ids.length).padStart(4)} snippets: first calls ${figures(cold)}; ` +
          `warm calls to all ${figures(warm)}; ${memory(supervisor)}`,
      );
      const log = app.supervisorLog();
      for (const line of log.slice(logged))
        if (line.includes("replacing")) console.log(`    ${line}`);
      logged = log.length;
    }
  } finally {
    await app.stop();
  }
}
