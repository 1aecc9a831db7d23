/**
 * A new user's first minutes at 1280×720: the starters fit the editor, a run's console is its own,
 * and the edge comparison's headers can be read.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import {
  chooseLanguage,
  launchAppPage,
  runAtEdge,
  runInBrowser,
  save,
  writeCode,
} from "./snippet-page.ts";

let browser: Browser;
let page: Page;

before(async () => {
  ({ browser, page } = await launchAppPage());
});

after(async () => {
  await browser?.close();
});

/** How far the editor's code runs past its right edge (Monaco's horizontal slider against its track). */
const hiddenWidth = () =>
  page.evaluate(() => {
    const track = document.querySelector<HTMLElement>(".monaco-editor .scrollbar.horizontal");
    const slider = track?.querySelector<HTMLElement>(".slider");
    if (!track || !slider) throw new Error("no horizontal scrollbar in the editor");
    return Number.parseFloat(track.style.width) - Number.parseFloat(slider.style.width);
  });

test("before the first run, Response and Console and their hints share one line inside the row", async () => {
  // Run first of this file's tests: the row holds only headings and hints until a run.
  await page.locator('.workspace[data-results="none"]').waitFor();
  const boxes = await page.evaluate(() =>
    ["response", "console"].map((panel) => {
      const box = (selector: string) => {
        const found = document.querySelector(`section.${panel} ${selector}`);
        if (!found) throw new Error(`no ${selector} in the ${panel} panel`);
        const { top, bottom } = found.getBoundingClientRect();
        return { top: Math.round(top), bottom: Math.round(bottom) };
      };
      return { panel: box(""), heading: box("> h2"), hint: box(".hint") };
    }),
  );
  const [response, printed] = boxes;
  assert.ok(response && printed);
  const where = JSON.stringify(boxes);
  for (const { panel, hint } of boxes) {
    assert.ok(
      hint.top >= panel.top && hint.bottom <= panel.bottom,
      `a hint leaves its panel: ${where}`,
    );
  }
  assert.ok(Math.abs(response.heading.top - printed.heading.top) <= 1, `headings apart: ${where}`);
  assert.ok(Math.abs(response.hint.bottom - printed.hint.bottom) <= 2, `hints apart: ${where}`);
});

test("each language's starter fits the editor at 1280×720, without scrolling sideways", async () => {
  // A fresh context: no code kept from an earlier visit, so each language shows its starter.
  for (const language of ["python", "typescript"] as const) {
    await chooseLanguage(page, language);
    await page.waitForFunction(() => document.querySelector(".monaco-editor .view-line") !== null);
    assert.equal(await hiddenWidth(), 0, `the ${language} starter runs past the editor's edge`);
    assert.equal(await runInBrowser(page), "200");
    assert.match((await page.getByTestId("body").textContent()) ?? "", /Hello, fnpad!/);
  }
});

test("while a run goes, the console shows its lines, not the last run's exception", async () => {
  await chooseLanguage(page, "python");
  await writeCode(page, "def handler(request):\n    return 1 / 0\n");
  assert.equal(await runInBrowser(page), "500");
  await page.getByTestId("exception").waitFor();
  await writeCode(
    page,
    "import asyncio\n\nasync def handler(request):\n    print('waiting')\n    await asyncio.sleep(30)\n",
  );
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const output = page.getByTestId("console");
  await output.getByText("waiting").waitFor();
  assert.equal(
    await output.getByTestId("exception").count(),
    0,
    (await output.textContent()) ?? "",
  );
  await page.getByRole("button", { name: "Stop" }).click();
  await output.getByTestId("stopped").waitFor();
  // Stopped: the new run's end, with its line, and still no exception from before.
  assert.equal(
    await output.getByTestId("exception").count(),
    0,
    (await output.textContent()) ?? "",
  );
  assert.match((await output.textContent()) ?? "", /waiting[\s\S]*Stopped\./);
  // And a stopped run's "Stopped." goes while the next one goes.
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.getByTestId("run-timer").waitFor();
  await output.getByText("waiting").waitFor();
  assert.equal(await output.getByTestId("stopped").count(), 0, (await output.textContent()) ?? "");
  await page.getByRole("button", { name: "Stop" }).click();
  await output.getByTestId("stopped").waitFor();
});

test("New starts with no result: the last snippet's response and console go", async () => {
  await chooseLanguage(page, "python");
  await writeCode(page, "def handler(request):\n    print('from the old one')\n    return 'old'\n");
  assert.equal(await runInBrowser(page), "200");
  await page.getByTestId("console").getByText("from the old one").waitFor();
  await page.getByRole("button", { name: "New", exact: true }).click();
  await page.getByTestId("status").waitFor({ state: "detached" });
  assert.equal(await page.getByTestId("console").getByText("from the old one").count(), 0);
});

test("the edge comparison keeps each header's name on one line", async () => {
  await page.getByRole("button", { name: "New", exact: true }).click();
  await chooseLanguage(page, "typescript");
  // A long value takes the table's width: the names keep their own line all the same.
  const value = "a1".repeat(60);
  await writeCode(
    page,
    `export default () => Response.json({}, { headers: { "x-request-id": "${value}" } });\n`,
  );
  await save(page);
  assert.match(await runAtEdge(page), /^Same status/);
  // The line boxes of each name's text: two when it wraps.
  const names = await page.locator("section.compare-side .headers th").evaluateAll((cells) =>
    cells.map((cell) => {
      const text = document.createRange();
      text.selectNodeContents(cell);
      return { name: cell.textContent, lines: text.getClientRects().length };
    }),
  );
  assert.ok(names.length >= 4, JSON.stringify(names));
  for (const { name, lines } of names) assert.equal(lines, 1, `${name} wraps onto ${lines} lines`);
});

test("a query typed into the path is pointed out: it goes as part of the path", async () => {
  // `?` in the path field is sent as %3F (the path is the path): before, nothing said so, and
  // `/hello?name=Ada` reached the handler as the path `/hello?name=Ada` with no query.
  const path = page.getByLabel("Path");
  await path.fill("/hello?name=Ada");
  const warning = page.getByTestId("path-warning");
  assert.match((await warning.textContent()) ?? "", /%3F.*Query parameters/);
  assert.equal(await path.getAttribute("aria-describedby"), await warning.getAttribute("id"));
  await path.fill("/hello");
  await warning.waitFor({ state: "detached" });
});
