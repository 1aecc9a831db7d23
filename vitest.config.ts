import { defineConfig } from "vitest/config";

// Each test environment owns its config: unit tests run in Node, edge tests inside workerd.
export default defineConfig({
  test: {
    projects: ["test/unit/vitest.config.ts", "test/edge/vitest.config.ts"],
  },
});
