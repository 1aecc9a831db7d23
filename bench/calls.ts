// What recording calls adds to a warm endpoint (part of bench/edge.ts). The same build runs twice
// side by side: as it is, and with recording switched off (`--var FNPAD_RECORD_CALLS:off`, which
// only skips handing the record over). Sequential GETs take turns, one to each endpoint, so all
// see the same machine load (the development machine is shared and its load swings). A third snippet has an owner's page
// watching it live, so the push to a viewer is in the figure too.

import { liftLimits } from "../test/e2e/endpoint-limits.ts";
import { type AppServer, startAppServer } from "../tools/app-server.ts";
import { CALL_FEED_PROTOCOL, CALL_TOKEN_PROTOCOL_PREFIX } from "../workers/call-log-types.ts";

const CODE = 'export default function handler() {\n  console.log("hi");\n  return "ok";\n}\n';

async function newSnippet(base: string): Promise<{ id: string; token: string }> {
  const response = await fetch(`${base}/api/snippets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ language: "typescript", code: CODE }),
  });
  const snippet = (await response.json()) as { id: string; token: string };
  await liftLimits(base, snippet.id, snippet.token);
  return snippet;
}

async function timeOne(url: string, into: number[]): Promise<void> {
  const t = performance.now();
  const body = await (await fetch(url)).text();
  into.push(performance.now() - t);
  if (body !== "ok") throw new Error(`${url} answered ${body}`);
}

/** A viewer on snippet `id`'s live channel; resolves once it is open, counting what it gets. */
function watch(base: string, id: string, token: string) {
  const socket = new WebSocket(`${base.replace("http", "ws")}/api/snippets/${id}/calls/live`, [
    CALL_FEED_PROTOCOL,
    `${CALL_TOKEN_PROTOCOL_PREFIX}${token}`,
  ]);
  const seen = { messages: 0, socket };
  socket.addEventListener("message", () => {
    seen.messages += 1;
  });
  return new Promise<typeof seen>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(seen));
    socket.addEventListener("error", () => reject(new Error("the live channel did not open")));
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** Prints the warm TS endpoint's p50 with and without recording; `app` records calls. */
export async function benchRecording(
  app: AppServer,
  devArgs: string[] = [],
  turns = 600,
): Promise<void> {
  // `devArgs`: what `app` was started with, so that recording is the one difference.
  const off = await startAppServer({
    probe: "/api/health",
    devArgs: [...devArgs, "--var", "FNPAD_RECORD_CALLS:off"],
  });
  try {
    const plain = await newSnippet(app.url);
    const watched = await newSnippet(app.url);
    const unrecorded = await newSnippet(off.url);
    const viewer = await watch(app.url, watched.id, watched.token);
    const variants = [
      ["recording off", `${off.url}/fn/${unrecorded.id}/`, [] as number[]],
      ["recording on, no viewer", `${app.url}/fn/${plain.id}/`, [] as number[]],
      ["recording on, 1 live viewer", `${app.url}/fn/${watched.id}/`, [] as number[]],
    ] as const;
    for (let turn = -50; turn < turns; turn += 1) {
      for (const [, url, samples] of variants) await timeOne(url, samples);
      if (turn === -1) for (const [, , samples] of variants) samples.length = 0; // warm-up done
    }
    viewer.socket.close();
    const base = median(variants[0][2]);
    console.log(`recording calls: ${turns} sequential GETs each, taking turns`);
    const baseMean = mean(variants[0][2]);
    for (const [name, , samples] of variants) {
      const p50 = median(samples);
      const added =
        name === variants[0][0]
          ? ""
          : `  (${(p50 - base).toFixed(2)} ms added; mean ${(mean(samples) - baseMean).toFixed(2)} ms added)`;
      console.log(`  ${name.padEnd(28)} p50 ${p50.toFixed(2)} ms${added}`);
    }
    console.log(`  the viewer got ${viewer.messages} live messages`);
  } finally {
    await off.stop();
  }
}
