// Edge benchmark: the app as `npm run dev` serves it, beside a plain Worker (the floor) served
// the same way. Prints, warm, one request at a time and over 8 keep-alive connections, each as a
// share of the floor: the floor, the floor plus one local hop (what the app's call to a runner
// process costs at least), trivial TS and Python endpoints as `npm run dev` runs them, the same
// without the runner hop (`--runners 0`: in the app's process, as in production), that without
// recording calls too, and without the caches (`FNPAD_CACHE=off`: D1 read on every call); where
// a call's time goes in the app (`Server-Timing`); then cold starts of new versions, what recording calls adds (bench/calls.ts)
// and what the rate limits' check adds (bench/limits.ts).
// Usage: node bench/edge.ts [--requests 2000] [--concurrency 8] [--sequential 300] [--no-build]
//        [--calls-only] (just the recording and limits figures) [--limits-only]
//        [--cold-only] (just the cold starts of new versions)

import { liftLimits } from "../test/e2e/endpoint-limits.ts";
import { type AppServer, buildApp, startAppServer } from "../tools/app-server.ts";
import { benchRecording } from "./calls.ts";
import { coldStarts } from "./cold.ts";
import { benchLimits } from "./limits.ts";
import { type LoadFigures, loadInTurns, mean, ms, summary } from "./load.ts";

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const REQUESTS = arg("requests", 2000);
const CONCURRENCY = arg("concurrency", 8);
const SEQUENTIAL = arg("sequential", 300);

const TRIVIAL = {
  typescript: 'export default function handler() {\n  return "ok";\n}\n',
  python: 'def handler(request):\n    return "ok"\n',
} as const;

/** Every app variant reports where a call's time goes (a header set, nothing more). */
const TIMING = ["--var", "FNPAD_SERVER_TIMING:on"];
const FLOOR_PATH = "/fn/floor/";

async function newSnippet(base: string, language: keyof typeof TRIVIAL): Promise<string> {
  const response = await fetch(`${base}/api/snippets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ language, code: TRIVIAL[language] }),
  });
  if (!response.ok) throw new Error(`POST /api/snippets: ${response.status}`);
  const { id, token } = (await response.json()) as { id: string; token: string };
  // Thousands of calls from one address: the owner lifts the snippet's rate limits (still checked).
  await liftLimits(base, id, token);
  return id;
}

interface Row {
  name: string;
  url: string;
}

const LABELS = {
  app: "",
  inProcess: ", no runner hop",
  unrecorded: ", no hop, no call log",
  uncached: ", caches off",
} as const;

async function endpointRows(servers: Record<keyof typeof LABELS, AppServer>) {
  const rows: Row[] = [];
  for (const [key, label] of Object.entries(LABELS) as [keyof typeof LABELS, string][]) {
    const base = servers[key].url;
    rows.push({
      name: `TypeScript /fn${label}`,
      url: `${base}/fn/${await newSnippet(base, "typescript")}/`,
    });
    rows.push({
      name: `Python /fn${label}`,
      url: `${base}/fn/${await newSnippet(base, "python")}/`,
    });
  }
  return rows;
}

const share = (value: number, floor: number) => `${((value / floor) * 100).toFixed(0)}% of floor`;

function phaseLine(figures: LoadFigures): string {
  const phase = (name: string) => mean(figures.phases.get(name) ?? []);
  const [lookup, env, run, runner] = ["lookup", "env", "run", "runner"].map(phase) as number[];
  if (!Number.isFinite(run as number)) return "";
  const inRunner = Number.isFinite(runner as number)
    ? `, of which in the runner ${ms(runner as number)} (hop ${ms((run as number) - (runner as number))})`
    : "";
  return `      app, means: lookup ${ms(lookup as number)}, env ${ms(env as number)}, run ${ms(run as number)}${inRunner}`;
}

async function warmFigures(rows: Row[]) {
  const runs = [
    [SEQUENTIAL, 1, 10],
    [REQUESTS, CONCURRENCY, 4],
  ] as const;
  for (const [requests, concurrency, turns] of runs) {
    console.log(
      `warm: ${requests} GETs each over ${concurrency} keep-alive connection(s), in ${turns} turns`,
    );
    const figures = await loadInTurns(
      rows.map((row) => row.url),
      requests,
      concurrency,
      turns,
    );
    const floor = summary(figures[0] as LoadFigures);
    rows.forEach((row, index) => {
      const { p50, p99, rps } = summary(figures[index] as LoadFigures);
      const ratio = concurrency === 1 ? share(floor.p50, p50) : share(rps, floor.rps);
      console.log(
        `  ${row.name.padEnd(36)} p50 ${ms(p50)}  p99 ${ms(p99)}  ${rps.toFixed(0)} req/s  (${ratio})`,
      );
      const phases = phaseLine(figures[index] as LoadFigures);
      if (phases && concurrency === 1) console.log(phases);
    });
  }
}

if (!process.argv.includes("--no-build")) await buildApp();
const app = await startAppServer({ probe: "/api/health", devArgs: TIMING });
const others: AppServer[] = [];
const limitsOnly = process.argv.includes("--limits-only");
const coldOnly = process.argv.includes("--cold-only");
try {
  if (coldOnly) await coldStarts(app.url, 9);
  else if (!process.argv.includes("--calls-only") && !limitsOnly) {
    const floor = await startAppServer({ config: "bench/floor-wrangler.jsonc", probe: FLOOR_PATH });
    others.push(floor);
    const hop = await startAppServer({
      config: "bench/floor-wrangler.jsonc",
      probe: FLOOR_PATH,
      devArgs: ["--var", `HOP_TO:${floor.url}${FLOOR_PATH}`],
    });
    others.push(hop);
    const inProcess = await startAppServer({
      probe: "/api/health",
      devArgs: [...TIMING, "--runners", "0"],
    });
    others.push(inProcess);
    // The same without recording calls: locally the call log's Durable Object runs on the app's
    // one thread, and so takes its share of the throughput; in production it runs elsewhere.
    const unrecorded = await startAppServer({
      probe: "/api/health",
      devArgs: [...TIMING, "--runners", "0", "--var", "FNPAD_RECORD_CALLS:off"],
    });
    others.push(unrecorded);
    const uncached = await startAppServer({
      probe: "/api/health",
      devArgs: [...TIMING, "--var", "FNPAD_CACHE:off"],
    });
    others.push(uncached);
    const rows: Row[] = [
      { name: "floor (plain Worker)", url: `${floor.url}${FLOOR_PATH}` },
      { name: "floor + one local hop", url: `${hop.url}${FLOOR_PATH}` },
      ...(await endpointRows({ app, inProcess, unrecorded, uncached })),
    ];
    await warmFigures(rows);
    await Promise.all(others.map((server) => server.stop()));
    await coldStarts(app.url);
  }
  if (!limitsOnly && !coldOnly) await benchRecording(app, TIMING);
  if (!coldOnly) await benchLimits(app);
} finally {
  await Promise.all([app.stop(), ...others.map((server) => server.stop())]);
}
