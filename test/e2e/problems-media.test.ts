/** Problems shown as you type (TypeScript diagnostics, Python syntax), and media bodies shown as media. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import {
  APP_URL,
  chooseLanguage,
  finishedRuns,
  launchAppPage,
  runInBrowser,
  writeCode,
} from "./snippet-page.ts";

let browser: Browser;
let page: Page;

before(async () => {
  ({ browser, page } = await launchAppPage());
});

after(() => browser?.close());

const problems = () => page.getByTestId("problems");

/** Waits until the problems line counts `count` problems; returns its text. */
async function problemsCounting(count: number): Promise<string> {
  await page.locator(`[data-testid="problems"][data-count="${count}"]`).waitFor();
  return (await problems().textContent()) ?? "";
}

/** A TypeScript handler answering `body` (a JS expression making bytes) as `type`. */
const bytesHandler = (type: string, body: string) => `const PNG = "${TINY_PNG}";
export default function handler(req: Request): Response {
  const bytes = ${body};
  return new Response(bytes, { headers: { "content-type": "${type}" } });
}
`;

/** A 1×1 PNG. */
const TINY_PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const PNG_BYTES = "Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0))";
/** A tenth of a second of 8 kHz, 8-bit mono silence as WAV. */
const WAV_BYTES = `(() => {
    const samples = 800;
    const view = new DataView(new ArrayBuffer(44 + samples));
    const text = (at: number, s: string) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
    text(0, "RIFF"); view.setUint32(4, 36 + samples, true); text(8, "WAVEfmt ");
    view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, 8000, true); view.setUint32(28, 8000, true); view.setUint16(32, 1, true);
    view.setUint16(34, 8, true); text(36, "data"); view.setUint32(40, samples, true);
    for (let i = 0; i < samples; i++) view.setUint8(44 + i, 128);
    return new Uint8Array(view.buffer);
  })()`;
const PDF_TEXT =
  "%PDF-1.4\\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\\ntrailer<</Root 1 0 R>>\\n%%EOF";
/** An SVG whose scripts, were they ever run, would retitle the page. */
const EVIL_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" onload="top.document.title='svg ran'"><script>top.document.title = "svg ran"; document.title = "svg ran";</script><rect width="40" height="20" fill="teal"/></svg>`;
const text = (value: string) => `new TextEncoder().encode(${JSON.stringify(value)})`;

describe("problems as you type", () => {
  test("a TypeScript type error shows in the problems line without running", async () => {
    await chooseLanguage(page, "typescript");
    const runs = await finishedRuns(page);
    await writeCode(
      page,
      'export default function handler(req: Request) {\n  const n: number = "one";\n  return Response.json({ n });\n}\n',
    );
    const line = await problemsCounting(1);
    assert.match(line, /line 2 — Type 'string' is not assignable to type 'number'/);
    assert.equal(await finishedRuns(page), runs, "nothing ran");

    await writeCode(page, 'export default function handler(req: Request) {\n  return "ok";\n}\n');
    assert.match(await problemsCounting(0), /No problems/);
  });

  test("a Python syntax error shows on its line as you type, and goes once fixed", async () => {
    await chooseLanguage(page, "python");
    const runs = await finishedRuns(page);
    const broken = 'def handler(request):\n    name = "x"\n    return {"hello": name\n';
    await writeCode(page, broken);
    const line = await problemsCounting(1);
    assert.match(line, /1 problem/);
    assert.match(line, /line 3 — '\{' was never closed/);
    await page.locator(".monaco-editor .squiggly-error").first().waitFor();
    assert.equal(await finishedRuns(page), runs, "nothing ran");

    await writeCode(page, broken.replace("name\n", "name}\n"));
    assert.match(await problemsCounting(0), /No problems/);
    assert.equal(await page.locator(".monaco-editor .squiggly-error").count(), 0);
  });

  test("a Python import of a module fnpad does not have shows as you type, as Save would refuse it", async () => {
    await chooseLanguage(page, "python");
    await writeCode(page, "import json\nimport numpy\n\ndef handler(request):\n    return 1\n");
    assert.match(
      await problemsCounting(1),
      /line 2 — ModuleNotFoundError: No module named 'numpy'/,
    );
    await writeCode(page, "import json\n\ndef handler(request):\n    return 1\n");
    assert.match(await problemsCounting(0), /No problems/);
  });

  test("the problem is a button that moves the cursor to its line, from the keyboard too", async () => {
    await writeCode(page, "def handler(request):\n    return 1 +\n");
    await problemsCounting(1);
    const problem = problems().getByRole("button", { name: /line 2/ });
    await problem.focus();
    await page.keyboard.press("Enter");
    // The cursor's line is highlighted: it must become the line of the problem (Monaco moves the
    // highlight a frame after the cursor, so this waits for it rather than reading it once).
    await page.waitForFunction((expected) => {
      const editor = document.activeElement?.closest(".monaco-editor");
      const top = editor?.querySelector(".current-line")?.parentElement?.style.top;
      const lines = [...(editor?.querySelectorAll<HTMLElement>(".view-line") ?? [])];
      // Monaco renders spaces as no-break spaces.
      const text = lines
        .find((line) => line.style.top === top)
        ?.textContent?.replace(/\s+/g, " ")
        .trim();
      return text === expected;
    }, "return 1 +");
    await writeCode(page, "def handler(request):\n    return 1\n");
    await problemsCounting(0);
  });

  test("Python is checked between runs, never during one", async () => {
    await writeCode(page, "def handler(request):\n    while True:\n        pass\n");
    await problemsCounting(0);
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await page
      .getByRole("button", { name: "Stop" })
      .and(page.locator("[aria-disabled=false]"))
      .waitFor();
    const runs = await finishedRuns(page);
    await writeCode(page, "def handler(request)\n    return 1\n");
    await page.waitForTimeout(1000);
    assert.equal(await problems().getAttribute("data-count"), "0", "not checked during the run");
    await page.getByRole("button", { name: "Stop" }).click();
    assert.match(await problemsCounting(1), /line 1 — expected ':'/);
    assert.ok((await finishedRuns(page)) > runs);
  });
});

describe("media bodies", () => {
  before(async () => {
    await chooseLanguage(page, "typescript");
  });

  test("a PNG shows as an image, its bytes one click away", async () => {
    await writeCode(page, bytesHandler("image/png", PNG_BYTES));
    assert.equal(await runInBrowser(page), "200");
    const body = page.locator('[data-testid="body"][data-kind="image"]');
    // Whichever <img> is on the page by then (a re-render may replace the element): it decodes.
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLImageElement>('[data-testid="body"][data-kind="image"] img')
          ?.naturalWidth === 1,
    );
    assert.equal(await body.locator("pre.hex").isVisible(), false);
    await body.getByText("Show bytes (hex)").click();
    assert.match((await body.locator("pre.hex").textContent()) ?? "", /^00000000 {2}89 50 4e 47/);
  });

  test("the image's blob: URL is revoked once another response comes", async () => {
    const url = (await page.locator('[data-kind="image"] img').getAttribute("src")) ?? "";
    assert.match(url, /^blob:/);
    await writeCode(page, bytesHandler("application/octet-stream", text("\u0000\u0001raw")));
    assert.equal(await runInBrowser(page), "200");
    const gone = await page.evaluate(
      (src) =>
        fetch(src).then(
          () => false,
          () => true,
        ),
      url,
    );
    assert.equal(gone, true);
  });

  test("other bytes still show as a hex dump", async () => {
    const body = page.locator('[data-testid="body"][data-kind="binary"]');
    assert.match((await body.textContent()) ?? "", /5 bytes.*00 01 72 61 77/s);
    // A dump line (offset, 16 bytes, ASCII) fits the panel at 1280 px: nothing to scroll to.
    const fits = await body
      .locator("pre.hex")
      .evaluate((pre) => pre.scrollWidth <= pre.clientWidth);
    assert.ok(fits, "the hex dump's ASCII column is in view without scrolling sideways");
  });

  test("audio and video get players", async () => {
    await writeCode(page, bytesHandler("audio/wav", WAV_BYTES));
    await runInBrowser(page);
    const audio = page.locator('[data-kind="audio"] audio[controls]');
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-kind="audio"] audio') as HTMLAudioElement | null)?.duration,
    );
    assert.ok(Math.abs((await audio.evaluate((a: HTMLAudioElement) => a.duration)) - 0.1) < 0.01);

    await writeCode(page, bytesHandler("video/webm", text("not really a video")));
    await runInBrowser(page);
    await page.locator('[data-kind="video"] video[controls]').waitFor();
  });

  test("a PDF shows in the browser's viewer, with a download link", async () => {
    await writeCode(page, bytesHandler("application/pdf", text(PDF_TEXT.replaceAll("\\n", "\n"))));
    await runInBrowser(page);
    const body = page.locator('[data-testid="body"][data-kind="pdf"]');
    assert.match((await body.locator("iframe").getAttribute("src")) ?? "", /^blob:/);
    assert.equal(
      await body.getByRole("link", { name: "Download PDF" }).getAttribute("download"),
      "response.pdf",
    );
    const viewer = async () =>
      page.frames().some((frame) => frame.url().startsWith("chrome-extension://"));
    for (let i = 0; i < 50 && !(await viewer()); i++) await page.waitForTimeout(200);
    assert.ok(await viewer(), "Chromium's PDF viewer loaded");
  });

  test("an SVG shows as an image whose scripts never run", async () => {
    await writeCode(page, bytesHandler("image/svg+xml", text(EVIL_SVG)));
    await runInBrowser(page);
    const img = page.locator('[data-kind="image"] img');
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-kind="image"] img') as HTMLImageElement | null;
      return el?.complete && el.naturalWidth > 0;
    });
    assert.equal(await img.evaluate((el: HTMLImageElement) => el.naturalWidth), 40);
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => document.title), "fnpad");
    assert.equal(await page.locator("svg script").count(), 0);
  });
});

/** With FNPAD_SCREENSHOTS set to a directory, saves how both features look, for a person to check. */
describe("screenshots", { skip: !process.env.FNPAD_SCREENSHOTS }, () => {
  for (const [width, height] of [
    [1280, 720],
    [390, 844],
  ] as const) {
    for (const colorScheme of ["light", "dark"] as const) {
      test(`${width}×${height} ${colorScheme}`, async () => {
        const context = await browser.newContext({ viewport: { width, height }, colorScheme });
        const shot = await context.newPage();
        shot.setDefaultTimeout(90_000);
        await shot.goto(APP_URL);
        await shot.waitForSelector('[data-editor="monaco"]');
        await chooseLanguage(shot, "typescript");
        await writeCode(
          shot,
          `${bytesHandler("image/svg+xml", text(EVIL_SVG))}const oops: number = "one";\nconst twice: string = 2;\n`,
        );
        await shot.locator('[data-testid="problems"][data-count="2"]').waitFor();
        await runInBrowser(shot);
        await shot.getByRole("button", { name: "2 problems" }).click();
        // From the keyboard: Tab reaches the first problem (its focus ring is in the picture).
        await shot.keyboard.press("Tab");
        assert.match(
          await shot.evaluate(() => document.activeElement?.textContent ?? ""),
          /^line 6/,
        );
        const dir = process.env.FNPAD_SCREENSHOTS;
        const path = `${dir}/problems-media-${width}-${colorScheme}.png`;
        await shot.screenshot({ path, fullPage: width < 900 });
        await writeCode(
          shot,
          bytesHandler("application/pdf", text(PDF_TEXT.replaceAll("\\n", "\n"))),
        );
        await runInBrowser(shot);
        await shot.locator('[data-kind="pdf"] iframe').scrollIntoViewIfNeeded();
        await shot.waitForTimeout(1000);
        await shot.screenshot({ path: path.replace(".png", "-pdf.png") });
        await context.close();
      });
    }
  }
});
