/**
 * The whole playground walked by keyboard alone, as owner and as visitor, in the normal layout
 * and presenting: Tab reaches every control in the order the page reads, each with its focus
 * drawn, and the editor is left with Escape then Tab (or Shift+Tab) without changing the code.
 * Operating the controls by keyboard: `keyboard-controls.test.ts`.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import {
  focusFromTop,
  focusStop,
  inOrder,
  ownedSnippetPage,
  tabTo,
  WAITING_HANDLER,
} from "./keyboard-page.ts";
import { APP_URL } from "./snippet-page.ts";

let browser: Browser;
let page: Page;
let id = "";

before(async () => {
  ({ browser, page, id } = await ownedSnippetPage());
});

after(async () => {
  await browser?.close();
});

const stopName = async () => (await focusStop(page)).name;

describe("by keyboard alone, as the owner (1280×720)", () => {
  test("Tab reaches every control in reading order, each with its focus drawn", async () => {
    await focusFromTop(page);
    const stops = [
      ...(await tabTo(page, /^Calls/, "Tab", 80)),
      ...(await tabTo(page, /^Headers \(\d+\)$/)),
    ];
    inOrder(stops, [
      "Title",
      "New",
      "Run",
      "Stop",
      "Save",
      "A−",
      "A+",
      "Present",
      new RegExp(`/s/${id}`),
      "Copy URL",
      "Copy as curl",
      "Run at edge",
      "Freeze",
      /^Limits/,
      "curl command",
      "editor",
      "Description",
      "Method",
      "Path",
      /^Query parameters/,
      /^Headers \(0\)/,
      "Env name",
      "Env value",
      "Secret",
      /^Versions/,
      /^Calls/,
      /^Headers \(\d+\)$/,
    ]);
    const unseen = stops.filter((stop) => !stop.visible).map((stop) => stop.name);
    assert.deepEqual(unseen, [], `focus not drawn on ${unseen.join(", ")}`);
  });

  test("on a phone (390×844) Tab reaches the results right after the request, as they show", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await focusFromTop(page);
      const stops = await tabTo(page, /^Calls/, "Tab", 80);
      // One column: code, request, results, then env, versions and calls.
      inOrder(stops, [
        "editor",
        "Path",
        /^Headers \(0\)$/,
        /^Headers \([1-9]\d*\)$/,
        "Env name",
        /^Versions/,
        /^Calls/,
      ]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  });

  test("Shift+Tab walks back, out of the editor too, without changing the code", async () => {
    await page.getByLabel("Description").focus();
    await tabTo(page, "editor", "Shift+Tab");
    const back = await tabTo(page, "curl command", "Shift+Tab");
    assert.deepEqual(
      back.map((stop) => stop.name),
      ["curl command"],
    );
    const code = await page.evaluate(() =>
      (window as { fnpad?: { code(): string } }).fnpad?.code(),
    );
    assert.equal(code, `${WAITING_HANDLER}// two\n`);
  });

  test("presenting: the toolbar, the editor (left with Escape, Tab), the endpoint card, the results", async () => {
    await page.getByRole("button", { name: "Present" }).focus();
    await page.keyboard.press("Enter");
    await page.locator(".app.present").waitFor();
    assert.equal(await stopName(), "Exit presenter");
    const stops = await tabTo(page, /^Calls/);
    inOrder(stops, ["editor", "Copy curl", /^Limits/, /^Headers \(\d+\)$/, /^Calls/]);
    const unseen = stops.filter((stop) => !stop.visible).map((stop) => stop.name);
    assert.deepEqual(unseen, [], `focus not drawn on ${unseen.join(", ")}`);
    await tabTo(page, "Exit presenter", "Shift+Tab");
    await page.keyboard.press("Enter");
    await page.locator(".app.present").waitFor({ state: "detached" });
  });
});

describe("by keyboard alone, as a visitor", () => {
  for (const present of [false, true]) {
    test(`${present ? "presenting" : "the normal layout"}: every control is reached${present ? "" : "; Enter on Fork makes it theirs"}`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const visitor = await context.newPage();
      try {
        await visitor.goto(`${APP_URL}/s/${id}${present ? "?present" : ""}`);
        await visitor.waitForSelector('[data-editor="monaco"]');
        await focusFromTop(visitor);
        const last = present ? "Copy curl" : /^Versions/;
        const stops = await tabTo(visitor, last);
        const names = inOrder(
          stops,
          present
            ? ["Run", "Stop", "Save", "Exit presenter", "editor", "Copy curl"]
            : ["Run", "Stop", "Save", "Present", "Run at edge", "Fork", "editor"],
        );
        assert.ok(
          !names.some((name) => /^(Limits|Freeze|Env name|Calls)/.test(name)),
          names.join(),
        );
        const unseen = stops.filter((stop) => !stop.visible).map((stop) => stop.name);
        assert.deepEqual(unseen, [], `focus not drawn on ${unseen.join(", ")}`);
        if (present) return;
        await tabTo(visitor, "Fork", "Shift+Tab");
        await visitor.keyboard.press("Enter");
        await visitor.waitForURL((url) => !url.pathname.includes(id));
        await visitor.getByText("· yours").waitFor();
        // The Fork button went with the visitor's bar: the focus is carried to the editor, not lost.
        await visitor.waitForFunction(() =>
          document.activeElement?.closest("[data-editor=monaco]"),
        );
      } finally {
        await context.close();
      }
    });
  }
});
