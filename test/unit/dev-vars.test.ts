import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureDevEnvKey } from "../../tools/dev-vars.ts";

const temporaryVars = async () =>
  join(await mkdtemp(join(tmpdir(), "fnpad-dev-vars-")), ".dev.vars");

describe("the local ENV_KEY (npm run dev)", () => {
  it("is written once, 32 random bytes, owner-only, and kept after", async () => {
    const path = await temporaryVars();
    expect(ensureDevEnvKey(path)).toBe(true);
    const written = readFileSync(path, "utf8");
    const key = /^ENV_KEY=(\S+)\n$/.exec(written)?.[1] ?? "";
    expect(Buffer.from(key, "base64")).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(ensureDevEnvKey(path)).toBe(false);
    expect(readFileSync(path, "utf8")).toBe(written);
    const other = await temporaryVars();
    ensureDevEnvKey(other);
    expect(readFileSync(other, "utf8")).not.toBe(written);
  });

  it("is added after the variables a file already has, and the file made owner-only", async () => {
    const path = await temporaryVars();
    writeFileSync(path, "GREETING=hi");
    chmodSync(path, 0o644);
    expect(ensureDevEnvKey(path)).toBe(true);
    expect(readFileSync(path, "utf8")).toMatch(/^GREETING=hi\nENV_KEY=\S+\n$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("is kept out of git", () => {
    const ignored = execFileSync("git", ["check-ignore", ".dev.vars"], { encoding: "utf8" });
    expect(ignored.trim()).toBe(".dev.vars");
  });
});
