// Edge benchmark: the app under `wrangler dev` and, side by side, a plain Worker (the floor).
// Prints, for the floor, a trivial TS endpoint and a trivial Python endpoint: warm latency p50/p99
// one request at a time, and p50/p99 and requests/s with a fixed number of concurrent keep-alive
// connections; then the cold start of a new TS version and of a new Python version (a new version
// is a new isolate); then what recording calls adds (bench/calls.ts) and what the rate limits'
// check adds (bench/limits.ts).
// Usage: node bench/edge.ts [--requests 2000] [--concurrency 8] [--sequential 300] [--no-build]
//        [--calls-only] (just the recording and limits figures) [--limits-only]
import { buildApp, startAppServer } from "../test/e2e/app-server.ts";
import { liftLimits } from "../test/e2e/endpoint-limits.ts";
import { benchRecording } from "./calls.ts";
import { benchLimits } from "./limits.ts";

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const REQUESTS = arg("requests", 2000);
const CONCURRENCY = arg("concurrency", 8);
const SEQUENTIAL = arg("sequential", 300);
const COLD_SAMPLES = arg("cold", 5);

const TRIVIAL = {
  typescript: 'export default function handler() {\n  return "ok";\n}\n',
  python: 'def handler(request):\n    return "ok"\n',
} as const;

async function api(base: string, method: string, path: string, body: unknown, token?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${base}${path}`, { method, headers, body: JSON.stringify(body) });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<{ id: string; token: string }>;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** `requests` GETs of `url` by `concurrency` keep-alive loops; every answer must be `ok`. */
async function load(url: string, requests: number, concurrency: number) {
  for (let i = 0; i < 50; i += 1) await (await fetch(url)).text(); // warm-up
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next += 1;
        const t = performance.now();
        const response = await fetch(url);
        const body = await response.text();
        latencies.push(performance.now() - t);
        if (body !== "ok") throw new Error(`${url} answered ${response.status}: ${body}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    rps: requests / seconds,
  };
}

/** Time to the first answer of a new version (a new isolate) of `language`'s trivial snippet. */
async function coldStarts(base: string, language: keyof typeof TRIVIAL) {
  const snippet = await api(base, "POST", "/api/snippets", { language, code: TRIVIAL[language] });
  const samples: number[] = [];
  for (let i = 0; i < COLD_SAMPLES; i += 1) {
    const comment =
      language === "python" ? `# cold ${i} ${Date.now()}` : `// cold ${i} ${Date.now()}`;
    const code = `${TRIVIAL[language]}${comment}\n`;
    await api(base, "PUT", `/api/snippets/${snippet.id}`, { code }, snippet.token);
    const t = performance.now();
    const body = await (await fetch(`${base}/fn/${snippet.id}/`)).text();
    samples.push(performance.now() - t);
    if (body !== "ok") throw new Error(`cold ${language} answered ${body}`);
  }
  return samples.sort((a, b) => a - b);
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

if (!process.argv.includes("--no-build")) await buildApp();
/** Warm latency and throughput of the floor and both trivial endpoints, then cold starts. */
async function endpointFigures(base: string, floorUrl: string) {
  const ts = await api(base, "POST", "/api/snippets", {
    language: "typescript",
    code: TRIVIAL.typescript,
  });
  const py = await api(base, "POST", "/api/snippets", {
    language: "python",
    code: TRIVIAL.python,
  });
  // Thousands of calls from one address: the owner lifts the limits (the check still runs).
  await Promise.all([liftLimits(base, ts.id, ts.token), liftLimits(base, py.id, py.token)]);
  const endpoints = [
    ["floor (plain Worker)", `${floorUrl}/`],
    ["TypeScript /fn", `${base}/fn/${ts.id}/`],
    ["Python /fn", `${base}/fn/${py.id}/`],
  ] as const;
  const runs = [
    [SEQUENTIAL, 1],
    [REQUESTS, CONCURRENCY],
  ] as const;
  for (const [requests, concurrency] of runs) {
    console.log(`warm: ${requests} GETs over ${concurrency} keep-alive connection(s)`);
    let floorRps = Number.NaN;
    for (const [name, url] of endpoints) {
      const { p50, p99, rps } = await load(url, requests, concurrency);
      if (url.startsWith(floorUrl)) floorRps = rps;
      const share = `${((rps / floorRps) * 100).toFixed(0)}% of floor`;
      console.log(
        `  ${name.padEnd(22)} p50 ${ms(p50)}  p99 ${ms(p99)}  ${rps.toFixed(0)} req/s (${share})`,
      );
    }
  }
  for (const language of ["typescript", "python"] as const) {
    const samples = await coldStarts(base, language);
    const shown = samples.map((value) => value.toFixed(0)).join(", ");
    console.log(
      `cold start, new ${language} version: median ${ms(percentile(samples, 50))} (samples: ${shown} ms)`,
    );
  }
}

const app = await startAppServer({ probe: "/api/health" });
const limitsOnly = process.argv.includes("--limits-only");
const floor =
  process.argv.includes("--calls-only") || limitsOnly
    ? null
    : await startAppServer({ config: "bench/floor-wrangler.jsonc" });
try {
  if (floor) await endpointFigures(app.url, floor.url);
  await floor?.stop();
  if (!limitsOnly) await benchRecording(app);
  await benchLimits(app);
} finally {
  await Promise.all([app.stop(), floor?.stop()]);
}
