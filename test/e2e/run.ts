// Runs the end-to-end tests against the production build served as `npm run dev` serves it.
// Usage: node test/e2e/run.ts [--no-build]   (skip `vite build` when dist/ is fresh)
// FNPAD_E2E_ONLY=parity runs only the test files whose name contains it (several: parity,share).
import { after, describe } from "node:test";
import { buildApp, startAppServer } from "../../tools/app-server.ts";

if (!process.argv.includes("--no-build")) await buildApp();
const server = await startAppServer();
process.env.FNPAD_URL = server.url;
after(() => server.stop());

const only = process.env.FNPAD_E2E_ONLY?.split(",").filter(Boolean);
for (const file of [
  "./playground.test.ts",
  "./takeover.test.ts",
  "./preview.test.ts",
  "./offline.test.ts",
  "./walkthrough.test.ts",
  "./first-visit.test.ts",
  "./keyboard.test.ts",
  "./keyboard-controls.test.ts",
  "./layout.test.ts",
  "./present.test.ts",
  "./parity.test.ts",
  "./streaming.test.ts",
  "./share.test.ts",
  "./problems-media.test.ts",
  "./editor-types.test.ts",
  "./calls.test.ts",
  "./env.test.ts",
  "./limits.test.ts",
  "./cli.test.ts",
  "./cli-run.test.ts",
  // A server of its own, with a low memory cap on its runners.
  "./runner-memory.test.ts",
  // Last: it leaves runner processes replaced.
  "./runaways.test.ts",
]) {
  if (only?.length && !only.some((name) => file.includes(name))) continue;
  // One suite per file, so that a file's top-level `before` and `after` (a browser, its pages)
  // run around that file's tests alone. Imported side by side, they would all hang on the run as
  // a whole: every file's browser opened before the first test (their pages loading Python while
  // it ran) and all kept to the end.
  describe(file.replace(/^\.\/|\.test\.ts$/g, ""), async () => {
    await import(file);
  });
}
