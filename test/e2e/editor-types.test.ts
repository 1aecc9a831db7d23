/** TypeScript the README shows (Workers' `req.cf`, `ctx`, the edge's modules) checked as fnpad runs it. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { chooseLanguage, launchAppPage, runInBrowser, writeCode } from "./snippet-page.ts";

let browser: Browser;
let page: Page;

before(async () => {
  ({ browser, page } = await launchAppPage());
  await chooseLanguage(page, "typescript");
});

after(() => browser?.close());

/** Waits until the problems line counts `count` problems; returns its text. */
async function problemsCounting(count: number): Promise<string> {
  const line = page.locator(`[data-testid="problems"][data-count="${count}"]`);
  await line.waitFor();
  return (await line.textContent()) ?? "";
}

/** The README's first example, `ctx` typed as Workers type it, and an import of the edge's. */
const README_HANDLER = `import { createHash } from "node:crypto";
import { env as edgeEnv } from "cloudflare:workers";

export default {
  async fetch(req: Request, env: Record<string, string>, ctx: ExecutionContext) {
    ctx.waitUntil(Promise.resolve());
    const url = new URL(req.url);
    const country: string | undefined = req.cf?.country;
    const hash = createHash("sha256").update(url.pathname).digest("hex");
    return Response.json({ country, hash, n: Object.keys(edgeEnv ?? env).length });
  },
};
`;

describe("the editor's TypeScript types", () => {
  test("req.cf, ExecutionContext and the edge's modules are no problems", async () => {
    // A type error first, so that the count below is a fresh check of the new code.
    await writeCode(page, "const n: number = 'one';\nexport default () => n;\n");
    await problemsCounting(1);
    await writeCode(page, README_HANDLER);
    assert.match(await problemsCounting(0), /No problems/);
    // A field Cloudflare does not have is still any other property's type: unknown.
    await writeCode(
      page,
      "export default (req: Request) => {\n  const n: number = req.cf?.nope;\n  return Response.json({ n });\n};\n",
    );
    assert.match(await problemsCounting(1), /line 2 — Type 'unknown' is not assignable/);
  });

  test("a browser run of an edge-only import says so, on its line", async () => {
    await writeCode(page, README_HANDLER);
    assert.match(await runInBrowser(page), /500/);
    const printed = (await page.locator(".console").textContent()) ?? "";
    assert.match(printed, /ImportError: 'node:crypto' is there at the edge only/);
    assert.match(printed, /Run at edge/);
    assert.doesNotMatch(printed, /blob:/);
  });
});
