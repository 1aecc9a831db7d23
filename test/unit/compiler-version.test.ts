/**
 * `COMPILER_VERSION` says when stored compiled handlers must be compiled again (`edge/compiled.ts`).
 * This notices when what the compiler makes changes, so that the version is bumped with it: it
 * compiles every TypeScript fixture and compares a hash of the output with the one recorded for
 * the current version.
 */

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { COMPILER_VERSION, compileTypeScript } from "../../workers/typescript/compile.ts";

/**
 * The output's hash as of `COMPILER_VERSION`. Bump the version first, then record the new hash.
 * (A fixture added or changed alters the hash too, with the compiler unchanged: record it then,
 * without a bump.)
 */
const RECORDED = {
  version: 3,
  output: "c00795444cf2dbe1d4a76e8fb8674720ed802e73d2bb9d98b6bccfdb8bcfc160",
};

function outputHash(): string {
  const folder = new URL("../fixtures/handlers/typescript/", import.meta.url);
  const hash = createHash("sha256");
  for (const name of readdirSync(folder)
    .filter((file) => file.endsWith(".ts"))
    .sort()) {
    hash.update(`${name}\n${compileTypeScript(readFileSync(new URL(name, folder), "utf8"))}\n`);
  }
  return hash.digest("hex");
}

describe("the compiler's version", () => {
  test("changes whenever its output does", () => {
    // A mismatch here: the compiled output changed. Bump COMPILER_VERSION in
    // workers/typescript/compile.ts (stored handlers then get compiled again) and record both here.
    expect({ version: COMPILER_VERSION, output: outputHash() }).toEqual(RECORDED);
  });
});
