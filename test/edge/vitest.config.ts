import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

// Edge tests run inside workerd with the app's own wrangler config (real D1, Worker Loader);
// the D1 migrations are handed over as a binding and applied by the setup file.
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: fromRoot("wrangler.jsonc") },
      miniflare: {
        bindings: { TEST_MIGRATIONS: await readD1Migrations(fromRoot("edge/migrations")) },
      },
    }),
  ],
  test: {
    name: "edge",
    root: fromRoot("test/edge"),
    include: ["**/*.test.ts"],
    setupFiles: ["./apply-migrations.ts"],
  },
}));
