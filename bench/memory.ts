// Memory benchmark: how much each distinct Python snippet (its own isolate) adds to the local
// workerd under `wrangler dev`, and what one Python isolate holds, measured inside it while it
// handles a request.
// Each runs twice, in turn: with V8's own heap settings in the runners (the baseline) and as
// `npm run dev` starts them (`RUNNER_V8_FLAGS`).
// Usage: node bench/memory.ts [--snippets 20] [--idle 20] [--no-build]
import { readdirSync, readFileSync } from "node:fs";
import { buildApp, startAppServer } from "../tools/app-server.ts";
import { supervisedGroups } from "../tools/processes.ts";
import { RUNNER_V8_FLAGS } from "../tools/runners.ts";

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const SNIPPETS = arg("snippets", 30);
/** How long to leave the isolates idle before a last reading (V8 may shrink idle heaps). */
const IDLE_SECONDS = arg("idle", 20);
const MB = 1024 * 1024;

/** The snippets that are only counted: their cold start is Python's, not the probe's page scan. */
const TRIVIAL = 'def handler(request):\n    return "ok"\n';

/** Answers with figures read inside its own isolate, while it handles the request. */
const PROBE = `import ctypes
import json

PAGE = 4096
# Emscripten's own count of the wasm memory (the isolate hides Pyodide's module object).
heap_size = ctypes.CDLL(None).emscripten_get_heap_size
heap_size.restype = ctypes.c_size_t

def handler(request):
    size = heap_size()
    zero = bytes(PAGE)
    # Pages Python has written (the rest of the wasm memory was never touched: see snapshot-stream.ts).
    written = 1 + sum(ctypes.string_at(at, PAGE) != zero for at in range(PAGE, size, PAGE))
    return json.dumps({"wasmMemory": size, "writtenPages": written * PAGE})
`;

async function createSnippet(base: string, code: string): Promise<string> {
  const response = await fetch(`${base}/api/snippets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ language: "python", code }),
  });
  if (!response.ok) throw new Error(`POST /api/snippets: ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

async function call(base: string, id: string): Promise<{ body: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${base}/fn/${id}/`);
  const body = await response.text();
  if (!response.ok) throw new Error(`/fn/${id}/ answered ${response.status}: ${body}`);
  return { body, ms: performance.now() - started };
}

/** The workerd processes in the process groups `groups`. */
function workerdPids(groups: number[]): string[] {
  return readdirSync("/proc").filter((pid) => {
    try {
      const [, comm, rest = ""] =
        /^\d+ \((.*)\) (.*)$/s.exec(readFileSync(`/proc/${pid}/stat`, "utf8")) ?? [];
      return comm === "workerd" && groups.includes(Number(rest.split(" ")[2]));
    } catch {
      return false; // Not a process, or gone meanwhile.
    }
  });
}

/**
 * Resident memory of workerd (`/proc/<pid>/smaps`), and the part of it in executable mappings
 * (compiled JS and wasm code); the rest is wasm memories, V8's heaps and malloc.
 */
function workerdRss(groups: number[]): { rss: number; code: number } {
  const total = { rss: 0, code: 0 };
  for (const pid of workerdPids(groups)) {
    const smaps = readFileSync(`/proc/${pid}/smaps`, "utf8");
    for (const mapping of smaps.split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/)) {
      const [, perms = ""] = /^[0-9a-f]+-[0-9a-f]+ (\S+)/.exec(mapping) ?? [];
      const rss = (Number(/\nRss:\s+(\d+)/.exec(mapping)?.[1] ?? 0) * 1024) / MB;
      total.rss += rss;
      if (perms.includes("x")) total.code += rss;
    }
  }
  return total;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));
const mb = (value: number) => `${value.toFixed(1)} MB`;

/**
 * Adds `SNIPPETS` distinct Python snippets to a fresh `npm run dev` started with `devArgs`, and
 * prints what each adds to workerd's RSS; answers, after the idle wait, the growth per snippet
 * and per snippet of the second half (what each further one costs).
 */
async function measure(
  label: string,
  devArgs: string[],
): Promise<{ perSnippet: number; further: number }> {
  console.log(`${label}:`);
  const app = await startAppServer({ probe: "/api/health", devArgs });
  try {
    const supervisor = app.processGroup();
    if (supervisor === undefined) throw new Error("npm run dev has no process group");
    // Snippets run in the supervisor's runner processes; the app's own workerd is counted too.
    const groups = () => {
      const { runners, app } = supervisedGroups(supervisor);
      return [...runners, ...app];
    };
    // The first Python isolate also loads Pyodide's files into the edge: a cost paid once.
    const probeId = await createSnippet(app.url, PROBE);
    const probe = await call(app.url, probeId);
    console.log(
      `  first Python isolate (with the edge's one-time load): ${probe.ms.toFixed(0)} ms`,
    );
    await settle();
    const before = workerdRss(groups());
    console.log(`  workerd RSS after it: ${mb(before.rss)}`);
    const colds: number[] = [];
    const halfway = Math.floor(SNIPPETS / 2);
    /** RSS once half the snippets are in: the second half's growth is what each further one costs. */
    let half = before.rss;
    for (let i = 1; i <= SNIPPETS; i += 1) {
      const id = await createSnippet(app.url, `${TRIVIAL}# distinct ${i} ${Date.now()}\n`);
      colds.push((await call(app.url, id)).ms);
      if (i % 5 === 0 || i === SNIPPETS || i === halfway) {
        await settle();
        const now = workerdRss(groups());
        if (i === halfway) half = now.rss;
        const each = (key: keyof typeof now) => mb((now[key] - before[key]) / i);
        console.log(
          `  +${String(i).padStart(2)} Python snippets: RSS ${mb(now.rss)}, ${each("rss")} per snippet ` +
            `(of which executable ${each("code")})`,
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idle = workerdRss(groups());
    const perSnippet = (idle.rss - before.rss) / SNIPPETS;
    const further = (idle.rss - half) / (SNIPPETS - halfway);
    console.log(
      `  after ${IDLE_SECONDS} s idle: RSS ${mb(idle.rss)}, ${mb(perSnippet)} per snippet, ` +
        `${mb(further)} each in the second half`,
    );
    colds.sort((a, b) => a - b);
    const median = colds[Math.floor(colds.length / 2)] ?? Number.NaN;
    console.log(`  cold start of those Python isolates: median ${median.toFixed(0)} ms`);
    const inside = JSON.parse(probe.body) as Record<string, number>;
    console.log("  one Python isolate, measured inside it while it handles a request:");
    console.log(`    wasm memory (heap size)          ${mb((inside.wasmMemory ?? 0) / MB)}`);
    console.log(`      of which pages ever written    ${mb((inside.writtenPages ?? 0) / MB)}`);
    return { perSnippet, further };
  } finally {
    await app.stop();
  }
}

if (!process.argv.includes("--no-build")) await buildApp();
// The baseline, in the same run: the runners with V8's own heap settings.
const baseline = await measure("runners with V8's defaults (baseline)", ["--runner-v8-flags", ""]);
const tuned = await measure(`runners as npm run dev starts them (${RUNNER_V8_FLAGS})`, []);
console.log(
  `per distinct Python snippet: ${mb(tuned.perSnippet)} against ${mb(baseline.perSnippet)} with ` +
    `V8's defaults (${(tuned.perSnippet / baseline.perSnippet).toFixed(2)}×; target ≤ 50 MB); ` +
    `each in the second half ${mb(tuned.further)} against ${mb(baseline.further)} (target ≤ 40 MB)`,
);
