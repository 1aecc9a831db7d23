// What the rate limits add to a warm endpoint (part of bench/edge.ts). One TypeScript snippet,
// its limits lifted to their bounds so that no call is refused, is called in turns as a visitor
// (counted in the snippet's Durable Object: one RPC per call) and as its owner (the edit token in
// its header: the limits are skipped, the token's hash checked instead). Same app, same isolate,
// same machine load; the difference between the two p50s is what the check costs.

import { liftLimits } from "../test/e2e/endpoint-limits.ts";
import type { AppServer } from "../tools/app-server.ts";
import { OWNER_TOKEN_HEADER } from "../workers/platform-headers.ts";

const CODE = 'export default function handler() {\n  return "ok";\n}\n';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

async function timeOne(url: string, headers: Record<string, string>, into: number[]) {
  const t = performance.now();
  const response = await fetch(url, { headers });
  const body = await response.text();
  into.push(performance.now() - t);
  if (body !== "ok") throw new Error(`${url} answered ${response.status}: ${body}`);
}

/** Prints the warm TS endpoint's p50 with the limiter (a visitor) and without it (the owner). */
export async function benchLimits(app: AppServer, turns = 600): Promise<void> {
  const created = await fetch(`${app.url}/api/snippets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ language: "typescript", code: CODE }),
  });
  const { id, token } = (await created.json()) as { id: string; token: string };
  await liftLimits(app.url, id, token);
  const url = `${app.url}/fn/${id}/`;
  const variants = [
    ["owner (limits skipped)", { [OWNER_TOKEN_HEADER]: token }, [] as number[]],
    ["visitor (limits checked)", {}, [] as number[]],
  ] as const;
  for (let turn = -50; turn < turns; turn += 1) {
    for (const [, headers, samples] of variants) await timeOne(url, headers, samples);
    if (turn === -1) for (const [, , samples] of variants) samples.length = 0; // warm-up done
  }
  const skipped = variants[0][2];
  const checked = variants[1][2];
  console.log(`rate limits: ${turns} sequential GETs each, taking turns`);
  for (const [name, , samples] of variants)
    console.log(
      `  ${name.padEnd(26)} p50 ${median(samples).toFixed(2)} ms  mean ${mean(samples).toFixed(2)} ms`,
    );
  const added = median(checked) - median(skipped);
  const addedMean = mean(checked) - mean(skipped);
  console.log(`  the check adds ${added.toFixed(2)} ms at p50 (mean ${addedMean.toFixed(2)} ms)`);
}
