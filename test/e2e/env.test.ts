/**
 * Env in the browser: the owner sets a secret in the Environment panel, and the browser run and
 * "Run at edge" both see it, and the new value once it is replaced (no new version); values are
 * never in `localStorage` nor shown again. A visitor (a fresh browser) is told their runs get
 * empty values, and gets the names with empty values.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchChromium } from "./chromium.ts";
import {
  APP_URL,
  chooseLanguage,
  openApp,
  pageResponses,
  runAtEdge,
  runInBrowser,
  save,
  setEnvInPanel,
  writeCode,
} from "./snippet-page.ts";

const SECRET = "sk-e2e-7f3a9c21d4";
/** What the owner replaces it with. */
const ROTATED = "sk-e2e-rotated-52b8e0";
const HANDLER = [
  "def handler(request):",
  '    return {"key": request.env["API_KEY"], "names": sorted(request.env)}',
  "",
].join("\n");

describe("env and secrets in the browser", () => {
  let browser: Browser;
  let id = "";
  /** The owner's edit token, carried to a new context of the owner's. */
  let token = "";

  before(async () => {
    assert.ok(APP_URL, "FNPAD_URL is not set (start the tests with test/e2e/run.ts)");
    browser = await launchChromium();
  });

  after(() => browser?.close());

  test("the owner's secret reaches the browser run and the edge alike", async () => {
    const { context, page } = await openApp(browser);
    await chooseLanguage(page, "python");
    await writeCode(page, HANDLER);
    await save(page, /Saved as a new snippet/);
    id = new URL(page.url()).pathname.split("/").pop() ?? "";
    token = (await page.evaluate((key) => localStorage.getItem(key), `fnpad:token:${id}`)) ?? "";
    await setEnvInPanel(page, { API_KEY: SECRET });

    const panel = page.locator("section.env");
    assert.match((await panel.textContent()) ?? "", /API_KEY\s*secret\s*set/);
    assert.doesNotMatch(await page.content(), new RegExp(SECRET), "the secret is not shown");

    assert.match(await runInBrowser(page), /200/);
    const verdict = await runAtEdge(page);
    const { browser: inBrowser, edge } = await pageResponses(page);
    const body = (response: typeof edge) => JSON.parse(new TextDecoder().decode(response?.body));
    assert.deepEqual(body(inBrowser), { key: SECRET, names: ["API_KEY"] });
    assert.deepEqual(body(edge), { key: SECRET, names: ["API_KEY"] });
    assert.equal(verdict, "Same status, handler headers and body.");

    // Replace: the form takes the name, the value field the focus (empty: a secret is never
    // shown again); the new value reaches both runs at once, with no new version.
    await panel.getByRole("button", { name: "Replace API_KEY" }).click();
    assert.equal(await panel.getByLabel("Env name").inputValue(), "API_KEY");
    const valueField = panel.getByLabel("Env value");
    assert.equal(await valueField.inputValue(), "");
    assert.equal(await valueField.evaluate((field) => field === document.activeElement), true);
    await valueField.fill(ROTATED);
    await panel.getByRole("button", { name: "Set", exact: true }).click();
    await page.waitForFunction(
      () =>
        (document.querySelector('section.env [aria-label="Env name"]') as HTMLInputElement)
          ?.value === "",
    );
    assert.equal(await panel.locator("li[data-env-name]").count(), 1);
    await runInBrowser(page);
    await runAtEdge(page);
    const rotated = await pageResponses(page);
    assert.deepEqual(body(rotated.browser), { key: ROTATED, names: ["API_KEY"] });
    assert.deepEqual(body(rotated.edge), { key: ROTATED, names: ["API_KEY"] });
    const view = (await (await fetch(`${APP_URL}/api/snippets/${id}`)).json()) as {
      version: number;
    };
    assert.equal(view.version, 1, "a secret replaced is not a new version");

    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    assert.ok(
      !stored.includes(SECRET) && !stored.includes(ROTATED),
      "values are kept in memory only",
    );
    await context.close();
  });

  test("Replay in browser runs a call with the owner's env, as the endpoint ran it", async () => {
    assert.ok(id, "the owner's test saved a snippet");
    // The owner's browser again: a new context holding the token.
    const { context, page } = await openApp(browser, `/s/${id}`, (fresh) =>
      fresh.addInitScript(
        // Only on the app's own origin: the runner's sandboxed frames have no storage.
        ({ key, value }) => origin !== "null" && localStorage.setItem(key, value),
        { key: `fnpad:token:${id}`, value: token },
      ),
    );
    const calls = page.locator("section.calls");
    await calls.locator("summary").click();
    await page.locator('section.calls[data-status="live"]').waitFor();
    const called = await (await fetch(`${APP_URL}/fn/${id}/replayed`)).json();
    assert.equal(called.key, ROTATED);
    await calls.getByTestId("call-row").filter({ hasText: "/replayed" }).first().click();
    await runInBrowser(page, () =>
      calls.getByRole("button", { name: "Replay in browser" }).click(),
    );
    const { browser: inBrowser } = await pageResponses(page);
    const body = JSON.parse(new TextDecoder().decode(inBrowser?.body));
    assert.deepEqual(body, { key: ROTATED, names: ["API_KEY"] });
    await context.close();
  });

  test("a visitor is told their runs get empty values, and gets the names with empty values", async () => {
    assert.ok(id, "the owner's test saved a snippet");
    const { context, page } = await openApp(browser, `/s/${id}`);
    const notice = page.locator("section.env").getByRole("note");
    assert.match((await notice.textContent()) ?? "", /empty env values/);
    assert.equal(await page.locator('section.env [aria-label="Env name"]').count(), 0);

    assert.match(await runInBrowser(page), /200/);
    const { browser: inBrowser } = await pageResponses(page);
    const text = new TextDecoder().decode(inBrowser?.body);
    // The names are public (a fork copies them): `request.env["API_KEY"]` works as at the edge.
    assert.deepEqual(JSON.parse(text), { key: "", names: ["API_KEY"] });
    assert.doesNotMatch(await page.content(), new RegExp(`${SECRET}|${ROTATED}`));
    // The endpoint itself still has the owner's value (it is the owner's endpoint).
    const called = await (await fetch(`${APP_URL}/fn/${id}`)).json();
    assert.equal(called.key, ROTATED);
    await context.close();
  });
});
