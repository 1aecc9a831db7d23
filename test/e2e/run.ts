// Runs the browser end-to-end tests against the production build served by `wrangler dev`.
// Usage: node test/e2e/run.ts [--no-build]   (skip `vite build` when dist/ is fresh)
import { after } from "node:test";
import { buildApp, startAppServer } from "./app-server.ts";

if (!process.argv.includes("--no-build")) await buildApp();
const server = await startAppServer();
process.env.FNPAD_URL = server.url;
after(() => server.stop());

await import("./playground.test.ts");
