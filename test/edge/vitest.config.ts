import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** 32 bytes, base64: encrypts secrets in the tests' D1 only. */
const TEST_ENV_KEY = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i * 7 + 1)));

// Edge tests run inside workerd with the app's own wrangler config (real D1, Worker Loader);
// the D1 migrations are handed over as a binding and applied by the setup file.
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: fromRoot("wrangler.jsonc") },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(fromRoot("edge/migrations")),
          // A fixed key for the tests' own throwaway D1 (in dev it comes from `.dev.vars`).
          ENV_KEY: TEST_ENV_KEY,
        },
      },
    }),
  ],
  test: {
    name: "edge",
    root: fromRoot("test/edge"),
    include: ["**/*.test.ts"],
    setupFiles: ["./apply-migrations.ts"],
    // A file's first Python save or call makes a Python isolate (Python checks every save's
    // syntax), its first call another: under vitest their 40 MB of Pyodide files take seconds to
    // reach workerd — 23–28 s each on a busy 2-core CI machine, so a test that makes both needs
    // more than 30 s. A hung test still fails, at 90 s.
    testTimeout: 90_000,
  },
}));
