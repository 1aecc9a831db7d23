/** The save-time TypeScript import check, on code compiled as the API compiles it. */
import { describe, expect, it } from "vitest";
import { checkSnippet } from "../../workers/check.ts";
import { compileTypeScript } from "../../workers/typescript/compile.ts";
import { handlerFixtures } from "../fixtures/handlers/index.ts";

const check = (source: string) => checkSnippet("typescript", compileTypeScript(source));

describe("TypeScript imports", () => {
  // An import whose names are never used (or used only as types) is compiled away, so it passes.
  it("accepts an unused import, which compiles away", () => {
    expect(check('import { Hono } from "hono";\nexport default () => 1;\n')).toBeNull();
  });

  it.each([
    ['import { Hono } from "hono";\nexport default new Hono();\n', "hono", 1],
    [
      '// a comment\nimport _ from "https://esm.sh/lodash";\nexport default () => _.id(1);\n',
      "https://esm.sh/lodash",
      2,
    ],
    ['import { helper } from "./helper.ts";\nexport default helper;\n', "./helper.ts", 1],
    ['export * from "zod";\n', "zod", 1],
    [
      'import { EmailMessage } from "cloudflare:email";\nexport default () => EmailMessage;\n',
      "cloudflare:email",
      1,
    ],
  ])("refuses %j", (source, module, line) => {
    const problem = check(source);
    expect(problem).toMatchObject({ code: "unknown_import", module, line, column: 1 });
    expect(problem?.message).toContain(`Cannot find module '${module}'`);
    expect(problem?.message).toContain("node:crypto");
    expect(problem?.message).toContain("cloudflare:workers");
  });

  it.each([
    'import { Buffer } from "node:buffer";\nimport { createHash } from "crypto";\n',
    'import { env } from "cloudflare:workers";\nimport { connect } from "cloudflare:sockets";\n',
    'import type { Context } from "hono";\nexport default (req: Request) => req.url;\n',
    'export default async () => { try { return await import("hono"); } catch { return null; } };\n',
  ])("accepts %j", (source) => {
    expect(check(source)).toBeNull();
  });

  it("accepts every TypeScript fixture", () => {
    for (const fixture of handlerFixtures.filter((f) => f.language === "typescript")) {
      expect([fixture.name, check(fixture.code)]).toEqual([fixture.name, null]);
    }
  });
});
