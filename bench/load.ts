// Load helpers of the edge benchmarks: keep-alive GET loops, percentiles, and the phases an
// endpoint reports in `Server-Timing` (`edge/server-timing.ts`, with FNPAD_SERVER_TIMING=on).

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

export const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** The mean: `Server-Timing` durations are whole milliseconds (workerd's clock), so a median hides what a mean shows. */
export const mean = (values: number[]) =>
  values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;

export const ms = (value: number) => `${value.toFixed(2)} ms`;

/** What one endpoint gave over all its turns. */
export interface LoadFigures {
  latencies: number[];
  /** Time spent on this endpoint's turns, in seconds. */
  seconds: number;
  requests: number;
  /** `Server-Timing` durations by phase name, one entry per answer that had it. */
  phases: Map<string, number[]>;
}

export function newFigures(): LoadFigures {
  return { latencies: [], seconds: 0, requests: 0, phases: new Map() };
}

function notePhases(header: string | null, into: Map<string, number[]>): void {
  for (const part of header?.split(",") ?? []) {
    const [name = "", ...params] = part.trim().split(";");
    const duration = params.find((param) => param.startsWith("dur="));
    if (!duration) continue;
    const list = into.get(name) ?? [];
    list.push(Number(duration.slice(4)));
    into.set(name, list);
  }
}

/** `requests` GETs of `url` by `concurrency` keep-alive loops, added to `figures`; every answer must be "ok". */
export async function loadTurn(
  url: string,
  requests: number,
  concurrency: number,
  figures: LoadFigures,
): Promise<void> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next += 1;
        const t = performance.now();
        const response = await fetch(url);
        const body = await response.text();
        figures.latencies.push(performance.now() - t);
        notePhases(response.headers.get("server-timing"), figures.phases);
        if (body !== "ok") throw new Error(`${url} answered ${response.status}: ${body}`);
      }
    }),
  );
  figures.seconds += (performance.now() - started) / 1000;
  figures.requests += requests;
}

/**
 * Every endpoint in `urls` gets `requests` GETs over `concurrency` connections, in `turns` turns
 * taken in a rotating order, so that a swing in the (shared) machine's load hits all alike.
 */
export async function loadInTurns(
  urls: readonly string[],
  requests: number,
  concurrency: number,
  turns: number,
): Promise<LoadFigures[]> {
  const figures = urls.map(() => newFigures());
  for (const url of urls) for (let i = 0; i < 30; i += 1) await (await fetch(url)).text(); // warm-up
  const each = Math.ceil(requests / turns);
  for (let turn = 0; turn < turns; turn += 1) {
    for (let k = 0; k < urls.length; k += 1) {
      const at = (k + turn) % urls.length;
      await loadTurn(urls[at] as string, each, concurrency, figures[at] as LoadFigures);
    }
  }
  return figures;
}

export function summary(figures: LoadFigures) {
  const sorted = [...figures.latencies].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    rps: figures.requests / figures.seconds,
  };
}
