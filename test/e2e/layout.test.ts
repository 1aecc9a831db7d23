/**
 * Every panel can be read and reached at 1280×720 and on a phone (390×844), as the owner with
 * everything open: nothing runs off the side of the screen, the endpoint URL stays inside its
 * box, presenter mode goes to one column, and the snippet bar is one row on a laptop.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium } from "./chromium.ts";
import {
  APP_URL,
  chooseLanguage,
  openApp,
  RUN_TIMEOUT,
  runAtEdge,
  runInBrowser,
  save,
  setEnvInPanel,
  writeCode,
} from "./snippet-page.ts";

/** Echoes the request's headers: long values, the kind that push a table wide. */
const CODE = "export default (req: Request) => Response.json([...req.headers]);\n";

let browser: Browser;
let owner: BrowserContext;
let page: Page;
let id = "";

before(async () => {
  browser = await launchChromium();
  ({ context: owner, page } = await openApp(browser));
  await chooseLanguage(page, "typescript");
  await writeCode(page, CODE);
  id = await save(page);
  await setEnvInPanel(page, { A_RATHER_LONG_VARIABLE_NAME: "and a long value ".repeat(4) }, false);
  // One call from outside, so the Calls panel has a row to open.
  await fetch(`${APP_URL}/fn/${id}/a/long/path/of/segments?query=${"x".repeat(60)}`);
});

after(async () => {
  await browser?.close();
});

/** Visible elements (Monaco's own, which scroll inside the editor, aside) that pass the right edge. */
function overflowing(phone: Page): Promise<string[]> {
  return phone.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const over = [...document.querySelectorAll("body *")].filter((element) => {
      if (element.closest(".monaco-editor") || !element.checkVisibility()) return false;
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.right > width + 1;
    });
    const wide = document.documentElement.scrollWidth > width ? ["the page scrolls sideways"] : [];
    return [
      ...wide,
      ...over.map(
        (element) => `${element.tagName} ${element.className} ${element.textContent?.slice(0, 30)}`,
      ),
    ];
  });
}

/** The owner's page at `width`×`height`, `path` opened, run once. */
async function ownerAt(width: number, height: number, path: string) {
  const state = await owner.storageState();
  const context = await browser.newContext({ viewport: { width, height }, storageState: state });
  const phone = await context.newPage();
  phone.setDefaultTimeout(RUN_TIMEOUT);
  await phone.goto(`${APP_URL}${path}`);
  await phone.waitForSelector('[data-editor="monaco"]');
  await phone.getByTestId("limits").waitFor();
  await runInBrowser(phone);
  return { context, phone };
}

describe("layout", () => {
  test("1280×720: the owner's snippet bar is one row, with Freeze and Limits; frozen, two; the URLs whole", async () => {
    await page.getByTestId("limits").waitFor();
    const bar = page.locator(".snippet-bar");
    const rows = async (most: number) => {
      const box = await bar.boundingBox();
      assert.ok(
        box && box.height < 48 + 30 * (most - 1),
        `the snippet bar is ${box?.height}px high`,
      );
    };
    // The share link and the endpoint as their paths, never cut short; the whole URLs in their
    // tooltips and behind the Copy buttons.
    const whole = async () => {
      const urls: [string, string][] = [
        ["share-url", `/s/${id}`],
        ["endpoint-url", `/fn/${id}`],
      ];
      for (const [testId, path] of urls) {
        const url = page.getByTestId(testId);
        assert.equal(await url.textContent(), path);
        assert.equal(await url.getAttribute("title"), `${APP_URL}${path}`);
        const hidden = await url.evaluate((element) => element.scrollWidth - element.clientWidth);
        assert.ok(hidden <= 1, `${testId} is cut short by ${hidden}px`);
      }
      const copies = bar.getByRole("button", { name: /^Copy (link|URL)$/ });
      assert.equal(await copies.count(), 2);
    };
    await rows(1);
    await whole();
    // "Copied" shows over the page, not in the bar: nothing moves when it comes.
    await bar.getByRole("button", { name: "Copy link" }).click();
    await bar.getByText("Copied").waitFor();
    await rows(1);
    // Frozen, the badge and Unfreeze do not fit beside the rest: the actions go to a second row.
    await page.getByRole("button", { name: "Freeze" }).click();
    await page.getByTestId("frozen").waitFor();
    await rows(2);
    await whole();
    // The versions list says which one the endpoint serves.
    await page.locator("section.versions summary").click();
    const served = page.getByTestId("version-frozen");
    await served.waitFor();
    assert.equal(
      await page.locator("li[data-version]", { has: served }).getAttribute("data-version"),
      await page.locator("li[data-version]").first().getAttribute("data-version"),
    );
    await page.locator("section.versions summary").click();
    await page.getByRole("button", { name: "Unfreeze" }).click();
    await page.getByTestId("frozen").waitFor({ state: "detached" });
    await rows(1);
    // Edited after a save: "unsaved" and discard fit in the same row (the bar went to two rows
    // with the first keystroke, and the editor jumped down; back up with each save).
    await writeCode(page, `${CODE}// edited\n`);
    await page.getByTestId("dirty").waitFor();
    await rows(1);
    await page.getByTestId("dirty").getByRole("button", { name: "discard" }).click();
    await page.getByTestId("dirty").waitFor({ state: "detached" });
  });

  test("390×844, everything open: nothing passes the screen's edge; the endpoint URL wraps in its box", async () => {
    const { context, phone } = await ownerAt(390, 844, `/s/${id}`);
    try {
      await runAtEdge(phone);
      for (const summary of ["Limits", "curl"]) {
        await phone.locator(".snippet-bar summary", { hasText: summary }).click();
      }
      await phone.locator("section.versions summary").click();
      await phone.locator("section.calls summary").click();
      await phone.getByTestId("call-row").last().click();
      await phone.locator(".call-detail").waitFor();
      assert.deepEqual(await overflowing(phone), []);
      const url = phone.getByTestId("endpoint-url");
      const fits = await url.evaluate((code) => {
        const bar = code.closest(".snippet-bar")?.getBoundingClientRect();
        const box = code.getBoundingClientRect();
        return {
          inBar: !!bar && box.left >= bar.left && box.right <= bar.right,
          whole: code.scrollWidth <= code.clientWidth + 1,
        };
      });
      assert.deepEqual(fits, { inBar: true, whole: true });
    } finally {
      await context.close();
    }
  });

  test("390×844: the request comes between the code and the results, the rest after them", async () => {
    const { context, phone } = await ownerAt(390, 844, `/s/${id}`);
    try {
      // All at once and from the top of the document: the run's scroll may still be moving.
      const tops = await phone.evaluate(() => {
        const at = (selector: string) => {
          const box = document.querySelector(selector)?.getBoundingClientRect();
          return box ? { top: box.top + scrollY, bottom: box.bottom + scrollY } : null;
        };
        return {
          editor: at(".editor-panel"),
          request: at("section.request"),
          response: at("section.response"),
          env: at("section.env"),
        };
      });
      const { editor, request, response, env } = tops;
      assert.ok(editor && request && response && env, JSON.stringify(tops));
      assert.ok(
        request.top >= editor.bottom - 1,
        `the request is under the code: ${JSON.stringify(tops)}`,
      );
      assert.ok(
        response.top >= request.bottom - 1,
        `the results are under the request: ${JSON.stringify(tops)}`,
      );
      assert.ok(
        env.top >= response.bottom - 1,
        `the env panel comes after the results: ${JSON.stringify(tops)}`,
      );
    } finally {
      await context.close();
    }
  });

  test("390×844 presenting: one column (code, the endpoint card, results, calls), nothing off screen", async () => {
    const { context, phone } = await ownerAt(390, 844, `/s/${id}?present`);
    try {
      await phone.getByTestId("limits").locator("summary").click();
      assert.deepEqual(await overflowing(phone), []);
      const editor = await phone.locator(".editor-panel").boundingBox();
      const card = await phone.locator(".endpoint-card").boundingBox();
      const response = await phone.locator("section.response").boundingBox();
      const printed = await phone.locator("section.console").boundingBox();
      const calls = await phone.locator("section.calls").boundingBox();
      assert.ok(editor && card && response && printed && calls);
      assert.ok(card.y >= editor.y + editor.height - 1, "the endpoint card is under the code");
      assert.ok(response.y >= card.y + card.height - 1, "the results are under the card");
      // The owner's calls come after the results, as on a laptop (they had come before them).
      assert.ok(calls.y >= printed.y + printed.height - 1, "the calls are under the results");
      assert.ok(card.width > 300, `the card is ${card.width}px wide`);
    } finally {
      await context.close();
    }
  });
  test("390×844, a visitor: a long title wraps, whole, instead of being cut", async () => {
    const title = "Greets everyone in the conference room, by name";
    await page.getByLabel("Title").fill(title);
    await save(page);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const visitor = await context.newPage();
      await visitor.goto(`${APP_URL}/s/${id}`);
      const heading = visitor.getByRole("heading", { name: title, exact: true });
      await heading.waitFor();
      const shown = await heading.evaluate((element) => {
        const box = element.getBoundingClientRect();
        return {
          whole: element.scrollWidth <= element.clientWidth + 1,
          onScreen: box.left >= 0 && box.right <= document.documentElement.clientWidth,
          rows: Math.round(box.height / Number.parseFloat(getComputedStyle(element).lineHeight)),
        };
      });
      assert.equal(shown.whole && shown.onScreen, true, JSON.stringify(shown));
      assert.ok(shown.rows >= 2, `the title takes ${shown.rows} row(s)`);
      assert.deepEqual(await overflowing(visitor), []);
    } finally {
      await context.close();
    }
  });
});
