/**
 * The whole playground by keyboard alone, as owner and as visitor, in the normal layout and
 * presenting: Tab reaches every control in the order the page reads, each shows its focus, and
 * Enter, Space and Escape operate them; the focus is never dropped on the page by a control that
 * turns off or goes away.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { DEFAULT_DRAFT } from "../../web/src/request-draft.ts";
import { launchChromium } from "./chromium.ts";
import { focusComesTo, focusFromTop, focusStop, inOrder, tabTo } from "./keyboard-page.ts";
import {
  APP_URL,
  chooseLanguage,
  openApp,
  runInBrowser,
  save,
  setRequest,
  writeCode,
} from "./snippet-page.ts";

/** Waits `?wait=` ms, so that a run can be stopped by keyboard while it goes. */
const CODE = `export default async (req: Request) => {
  const wait = Number(new URL(req.url).searchParams.get("wait") ?? 0);
  await new Promise((resolve) => setTimeout(resolve, wait));
  return Response.json({ waited: wait });
};
`;

let browser: Browser;
let page: Page;
let id = "";

before(async () => {
  browser = await launchChromium();
  ({ page } = await openApp(browser));
  await chooseLanguage(page, "typescript");
  await writeCode(page, CODE);
  id = await save(page);
  await writeCode(page, `${CODE}// two\n`);
  await save(page, /Saved version 2\./);
  await page.getByTestId("limits").waitFor();
  await page.getByTestId("runtime-typescript").getByText("ready").waitFor();
  await runInBrowser(page);
});

after(async () => {
  await browser?.close();
});

const stopName = async () => (await focusStop(page)).name;
const status = async () => (await page.getByTestId("status").textContent()) ?? "";
const finishedRuns = async () =>
  Number(await page.locator("section.response").getAttribute("data-finished"));

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
    assert.equal(code, `${CODE}// two\n`);
  });

  test("Enter runs, Tab then Enter stops; the focus stays where the keys are", async () => {
    const wait = { enabled: true, name: "wait", value: "3000" };
    await setRequest(page, { ...DEFAULT_DRAFT, query: [wait] });
    await page.getByRole("button", { name: "Run", exact: true }).focus();
    const runs = await finishedRuns();
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
    await tabTo(page, "Delete GREETING", "Shift+Tab");
    await page.keyboard.press("Enter");
    await page.locator('li[data-env-name="GREETING"]').waitFor({ state: "detached" });
    await focusComesTo(page, "Env name");
  });

  test("Run at edge, then its comparison closed by keyboard, gives the focus back", async () => {
    await page.getByRole("button", { name: "Run at edge" }).focus();
    await page.keyboard.press("Enter");
    await page.locator('section.edge-compare[data-phase="done"]').waitFor();
    assert.equal(await stopName(), "Run at edge");
    await page.getByRole("button", { name: "Close the comparison" }).focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.locator("section.edge-compare").count(), 0);
    await focusComesTo(page, "Run at edge");
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
            ? ["Title", "Run", "Stop", "Save", "Exit presenter", "editor", "Copy curl"]
            : ["Title", "Run", "Stop", "Save", "Present", "Run at edge", "Fork", "editor"],
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
      } finally {
        await context.close();
      }
    });
  }
});
