// Runaway benchmark: each runaway snippet (`test/e2e/runaways.ts`) in flight against the setup of
// `npm run dev`, printing how long it took to get its 503, the slowest answers of the API, the
// SPA and two other endpoints meanwhile, and when its runner was back.
// Usage: node bench/runaways.ts [--no-build]

import { attack, describeFigures, RUNAWAYS } from "../test/e2e/runaways.ts";
import { buildApp, startAppServer } from "../tools/app-server.ts";

if (!process.argv.includes("--no-build")) await buildApp();
const server = await startAppServer();
try {
  for (const runaway of RUNAWAYS) console.log(describeFigures(await attack(server, runaway)));
} finally {
  await server.stop();
}
