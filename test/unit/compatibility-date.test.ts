import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { ISOLATE_COMPATIBILITY_DATE } from "../../edge/sandbox/compat.ts";

/** The `compatibility_date` line of a wrangler config (JSONC, so read as text). */
function configDate(path: string): string | undefined {
  const text = readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
  return /"compatibility_date":\s*"([^"]+)"/.exec(text)?.[1];
}

describe("one compatibility date", () => {
  test.each(["wrangler.jsonc", "edge/runner/wrangler.jsonc", "bench/floor-wrangler.jsonc"])(
    "%s runs on the isolates' date, so that the app, its runners and the floor match them",
    (path) => {
      expect(configDate(path)).toBe(ISOLATE_COMPATIBILITY_DATE);
    },
  );
});
