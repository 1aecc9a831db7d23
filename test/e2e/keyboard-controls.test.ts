/**
 * The playground's controls operated by keyboard alone (1280×720, as the owner): Enter, Space
 * and Escape do what a click does, and the focus is never dropped on the page by a control that
 * turns off (Run, Stop, Save, Run at edge) or goes away (a row, an env entry, a version's button,
 * the comparison, the Limits form made anew after a save).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { DEFAULT_DRAFT } from "../../web/src/request-draft.ts";
import { focusComesTo, focusStop, ownedSnippetPage, tabTo } from "./keyboard-page.ts";
import { finishedRuns, setRequest } from "./snippet-page.ts";

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
const status = async () => (await page.getByTestId("status").textContent()) ?? "";

describe("keyboard controls, as the owner (1280×720)", () => {
  test("Enter runs, Tab then Enter stops; the focus stays where the keys are", async () => {
    const wait = { enabled: true, name: "wait", value: "3000" };
    await setRequest(page, { ...DEFAULT_DRAFT, query: [wait] });
    await page.getByRole("button", { name: "Run", exact: true }).focus();
    const runs = await finishedRuns(page);
    await page.keyboard.press("Enter");
    await page.getByTestId("run-timer").waitFor();
    assert.equal(await stopName(), "Run", "Run keeps the focus while its run goes");
    await page.keyboard.press("Tab");
    assert.equal(await stopName(), "Stop");
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      (count) =>
        Number(document.querySelector("section.response")?.getAttribute("data-finished")) > count,
      runs,
    );
    assert.equal(await status(), "503");
    assert.equal(await stopName(), "Stop", "Stop keeps the focus once its run is over");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Space");
    await page.waitForFunction(
      (count) =>
        Number(document.querySelector("section.response")?.getAttribute("data-finished")) >
        count + 1,
      runs,
    );
    assert.equal(await status(), "200", "Space on Run ran it");
  });

  test("Space changes the code's size; Enter opens Limits and saves them; Escape closes it", async () => {
    await setRequest(page, DEFAULT_DRAFT);
    const size = () => page.evaluate(() => localStorage.getItem("fnpad:font-size:normal"));
    const before = Number((await size()) ?? 15);
    await page.getByRole("button", { name: "A+" }).focus();
    await page.keyboard.press("Space");
    assert.equal(Number(await size()), before + 2);
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    assert.equal(Number(await size()), before);

    await page.locator("[data-testid=limits] summary").focus();
    await page.keyboard.press("Enter");
    await tabTo(page, /^Per client/);
    await page.keyboard.press("Control+a");
    await page.keyboard.type("120");
    await page.keyboard.press("Enter");
    await page.getByTestId("limits").locator("summary[title*='120 calls a minute']").waitFor();
    // The form is made anew with the saved figures: the focus is back in the field.
    await focusComesTo(page, /^Per client/);
    await page.keyboard.press("Escape");
    assert.equal(await page.getByTestId("limits").getAttribute("open"), null);
    assert.match(await stopName(), /^Limits/);
  });

  test("an env variable is set with Enter, and the focus is back in the form for the next", async () => {
    await page.getByLabel("Env name").focus();
    await page.keyboard.type("GREETING");
    await tabTo(page, "Secret");
    await page.keyboard.press("Space");
    await tabTo(page, "Env value", "Shift+Tab");
    await page.keyboard.type("hello");
    await page.keyboard.press("Enter");
    await page.locator('li[data-env-name="GREETING"]').waitFor();
    await focusComesTo(page, "Env name");
    // The next entry is a secret again, whatever the last one was: the safer default.
    assert.equal(await page.getByLabel("Secret").isChecked(), true, "Secret stayed unticked");
    assert.equal(await page.getByLabel("Env value").getAttribute("type"), "password");
    await tabTo(page, "Delete GREETING", "Shift+Tab");
    await page.keyboard.press("Enter");
    await page.locator('li[data-env-name="GREETING"]').waitFor({ state: "detached" });
    await focusComesTo(page, "Env name");
  });

  test("Run at edge, then its comparison closed by keyboard, gives the focus back", async () => {
    await page.getByRole("button", { name: "Run at edge" }).focus();
    await page.keyboard.press("Enter");
    await page.locator('section.edge-compare[data-phase="done"]').waitFor();
    // Finished, the comparison has the focus: Escape closes it, and the focus goes back.
    await focusComesTo(page, "Browser vs edge");
    assert.equal((await focusStop(page)).visible, true, "the focus on the heading is not drawn");
    await page.keyboard.press("Escape");
    assert.equal(await page.locator("section.edge-compare").count(), 0);
    await focusComesTo(page, "Run at edge");
    // And by its close button.
    await page.keyboard.press("Enter");
    await focusComesTo(page, "Browser vs edge");
    await tabTo(page, "Close the comparison");
    await page.keyboard.press("Enter");
    assert.equal(await page.locator("section.edge-compare").count(), 0);
    await focusComesTo(page, "Run at edge");
  });

  test("Escape closes the Versions and Calls panels, the focus back on their summary", async () => {
    for (const panel of ["versions", "calls"]) {
      const details = page.locator(`section.${panel} details`);
      if ((await details.getAttribute("open")) === null) {
        await page.locator(`section.${panel} summary`).focus();
        await page.keyboard.press("Enter");
      }
      assert.notEqual(await details.getAttribute("open"), null, `${panel} did not open`);
      // From a control inside the panel (Calls may have no rows: from its summary).
      if (panel === "versions") await tabTo(page, /^Open version/);
      await page.keyboard.press("Escape");
      assert.equal(await details.getAttribute("open"), null, `Escape left ${panel} open`);
      await focusComesTo(page, panel === "versions" ? /^Versions/ : /^Calls/);
    }
  });

  test("a header row removed by keyboard hands the focus on", async () => {
    await page.locator("section.request summary", { hasText: "Headers" }).focus();
    await page.keyboard.press("Enter");
    await tabTo(page, "+ Header");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await tabTo(page, "Remove header 1", "Shift+Tab");
    await page.keyboard.press("Enter");
    await focusComesTo(page, "Remove header 1"); // the row that took its place
    await page.keyboard.press("Enter");
    await focusComesTo(page, /^(\+ Header|Headers \(0\))$/);
  });

  test("a version opens by keyboard and the focus waits on the list", async () => {
    await page.locator("section.versions summary").focus();
    await page.keyboard.press("Enter");
    await tabTo(page, "Open version 1");
    await page.keyboard.press("Enter");
    await page.waitForFunction((path) => location.pathname === path, `/s/${id}@1`);
    await page.getByTestId("pinned").waitFor();
    await focusComesTo(page, /^Versions/);
    await tabTo(page, "Open version 2");
    await page.keyboard.press("Enter");
    // The latest version, opened by its number: no longer pinned to an older one.
    await page.waitForFunction((path) => location.pathname === path, `/s/${id}@2`);
    await page.getByTestId("pinned").waitFor({ state: "detached" });
  });
});
