// `npm run bench`: builds the app once, then runs the browser, edge and memory benchmarks in turn
// (one at a time: the machine has two cores and each drives a local `wrangler dev`).
import { buildApp } from "../tools/app-server.ts";
import { runToEnd } from "../tools/processes.ts";

await buildApp();
for (const bench of [
  "bench/browser.ts",
  "bench/edge.ts",
  "bench/memory.ts",
  "bench/scale.ts",
  "bench/runaways.ts",
]) {
  console.log(`\n=== ${bench} ===`);
  await runToEnd("node", [bench, "--no-build", ...process.argv.slice(2)]);
}
