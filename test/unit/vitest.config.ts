import { defineProject } from "vitest/config";
import { rawPython } from "../../tools/vite-raw-python.ts";

// Unit tests run in Node: real Pyodide from the npm package, real sucrase/acorn.
export default defineProject({
  plugins: [rawPython()],
  test: {
    name: "unit",
    environment: "node",
    include: ["test/unit/**/*.test.ts"],
    root: new URL("../..", import.meta.url).pathname,
    // Pyodide takes a few seconds to boot on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
