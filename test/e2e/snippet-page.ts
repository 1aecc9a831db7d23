/** Driving the playground's save/share/edge features from Playwright, and reading fixtures in Node. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import type { AutomationHook, ScriptResponse } from "../../web/src/automation.ts";
import { DEFAULT_DRAFT, type RequestDraft } from "../../web/src/request-draft.ts";
import type { Language, WireResponse } from "../../workers/runtime-protocol.ts";
import { type HandlerFixture, parseFixture } from "../fixtures/handlers/fixtures.ts";
import { launchChromium } from "./chromium.ts";

/** Set by `run.ts`: the origin of the app under test. */
export const APP_URL = process.env.FNPAD_URL ?? "";
/** Pyodide's first load (in the page, and in a new edge isolate) can take a while on 2 busy cores. */
export const RUN_TIMEOUT = 90_000;

/** The page's automation hook; only usable inside `page.evaluate` callbacks (it runs in the page). */
type HookWindow = { fnpad?: AutomationHook };

/** Every shared handler fixture, read from disk (`index.ts` needs Vite's `import.meta.glob`). */
export function loadFixtures(): HandlerFixture[] {
  const root = new URL("../fixtures/handlers/", import.meta.url);
  return (["python", "typescript"] as const).flatMap((language) => {
    const dir = new URL(`${language}/`, root);
    return readdirSync(dir)
      .filter((file) => file.endsWith(".json"))
      .sort()
      .map((file) => {
        const name = file.replace(/\.json$/, "");
        const code = readFileSync(new URL(`${name}.${language === "python" ? "py" : "ts"}`, dir));
        const spec = readFileSync(new URL(file, dir), "utf8");
        return parseFixture(name, language, code.toString("utf8"), spec);
      });
  });
}

/** The fixture's request as the request builder holds it. */
export function fixtureDraft(fixture: HandlerFixture): RequestDraft {
  const { method, path, query = "", headers = [], body } = fixture.request;
  const rows = (pairs: Iterable<[string, string]>) =>
    [...pairs].map(([name, value]) => ({ enabled: true, name, value }));
  const binary = body?.base64 !== undefined;
  return {
    ...DEFAULT_DRAFT,
    method,
    path,
    query: rows(new URLSearchParams(query)),
    headers: rows(headers),
    body: binary
      ? (body.base64 ?? "")
      : body?.json !== undefined
        ? JSON.stringify(body.json)
        : (body?.text ?? ""),
    bodyEncoding: binary ? "base64" : "text",
  };
}

export async function writeCode(page: Page, code: string): Promise<void> {
  await page.evaluate((text) => (window as HookWindow).fnpad?.setCode(text), code);
}

export async function setRequest(page: Page, draft: RequestDraft): Promise<void> {
  await page.evaluate((next) => (window as HookWindow).fnpad?.setRequest(next), draft);
}

export async function chooseLanguage(page: Page, language: Language): Promise<void> {
  await page.getByRole("radio", { name: language === "python" ? "Python" : "TypeScript" }).check();
  // Monaco follows the switch a render later: code written before then would go to the old model.
  const monaco = page.locator('[data-editor="monaco"]');
  if ((await monaco.count()) > 0) {
    await page.locator(`.monaco-host[data-mode-id="${language}"]`).waitFor();
  }
}

/** The last browser run's and "Run at edge" responses, as the page holds them. */
export async function pageResponses(page: Page) {
  const both = await page.evaluate(() => (window as HookWindow).fnpad?.responses());
  if (!both) throw new Error("the page has no automation hook");
  return {
    browser: both.browser && fromScript(both.browser),
    edge: both.edge && fromScript(both.edge),
  };
}

function fromScript(response: ScriptResponse): WireResponse {
  return {
    status: response.status,
    headers: response.headers,
    body: new Uint8Array(Buffer.from(response.bodyBase64, "base64")),
  };
}

/** A `fetch` response as a `WireResponse`. */
export async function asWire(response: Response): Promise<WireResponse> {
  return {
    status: response.status,
    headers: [...response.headers],
    body: new Uint8Array(await response.arrayBuffer()),
  };
}

/** The notice's text once it says something matching `pattern`. */
export async function noticeMatching(page: Page, pattern: RegExp): Promise<string> {
  const notice = page.getByTestId("notice").filter({ hasText: pattern });
  await notice.waitFor();
  return (await notice.textContent()) ?? "";
}

/** Notices a failed save ends with (see `web/src/failure-message.ts`). */
const SAVE_FAILED = /Not saved|Couldn't reach|The server failed/;

/** Presses Save and waits for the notice it ends with; returns the snippet id in the address bar. */
export async function save(page: Page, expect: RegExp = /Saved/): Promise<string> {
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const notice = await noticeMatching(page, new RegExp(`${expect.source}|${SAVE_FAILED.source}`));
  // A failed save ends the wait at once, with the page's own words, instead of a timeout.
  if (!expect.test(notice)) throw new Error(`Save did not succeed: ${notice}`);
  await page.waitForURL(/\/s\/[A-Za-z0-9_-]+$/);
  return snippetIdInUrl(page);
}

export function snippetIdInUrl(page: Page): string {
  const match = /\/s\/([A-Za-z0-9_-]+)/.exec(new URL(page.url()).pathname);
  if (!match?.[1]) throw new Error(`not a snippet URL: ${page.url()}`);
  return match[1];
}

/**
 * Sets each entry of `env` in the Environment panel (as a secret unless `secret` is false) and
 * waits until the panel lists it; the owner's browser runs then get the values.
 */
export async function setEnvInPanel(
  page: Page,
  env: Record<string, string>,
  secret = true,
): Promise<void> {
  const panel = page.locator("section.env");
  for (const [name, value] of Object.entries(env)) {
    await panel.getByLabel("Env name").fill(name);
    await panel.getByLabel("Secret").setChecked(secret);
    await panel.getByLabel("Env value").fill(value);
    await panel.getByRole("button", { name: "Set", exact: true }).click();
    await panel.locator(`li[data-env-name="${name}"]`).waitFor();
    // Cleared once stored (and the values fetched again for the next run).
    await page.waitForFunction(
      () =>
        (document.querySelector('section.env [aria-label="Env name"]') as HTMLInputElement)
          ?.value === "",
    );
  }
}

/** Clicks "Run at edge" and waits for the comparison; returns its verdict. */
export async function runAtEdge(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Run at edge" }).click();
  const done = page.locator(
    'section.edge-compare[data-phase="done"], section.edge-compare[data-phase="failed"]',
  );
  await done.waitFor();
  if ((await done.getAttribute("data-phase")) === "failed") {
    throw new Error(`Run at edge failed: ${await done.textContent()}`);
  }
  return (await page.getByTestId("edge-verdict").textContent()) ?? "";
}

/** How many browser runs the page has finished. */
export async function finishedRuns(page: Page): Promise<number> {
  return Number(await page.locator("section.response").getAttribute("data-finished"));
}

/** Clicks Run (or calls `start`) and waits for that run to finish; returns the status shown. */
export async function runInBrowser(
  page: Page,
  start = () => page.getByRole("button", { name: "Run", exact: true }).click(),
): Promise<string> {
  const before = await finishedRuns(page);
  await start();
  await page.waitForFunction(
    (count) =>
      Number(document.querySelector("section.response")?.getAttribute("data-finished")) > count,
    before,
  );
  return (await page.getByTestId("status").textContent()) ?? "";
}

/** How long a page is given to load Monaco before it is reloaded once. */
const MONACO_TIMEOUT = 30_000;

/**
 * Opens the app at `path` in a new 1280×720 context and waits for the Monaco editor; `prepare`
 * gets the context first (to route requests).
 */
export async function openApp(
  browser: Browser,
  path = "/",
  prepare?: (context: BrowserContext) => Promise<unknown>,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await prepare?.(context);
  const page = await context.newPage();
  page.setDefaultTimeout(RUN_TIMEOUT);
  page.on("pageerror", (error) => console.error("page error:", error));
  // The page says when a part it needs did not load and was asked for again; and what went wrong
  // with a runtime (so that a run that never gets ready says why in the test's output).
  page.on("console", (message) => {
    const text = message.text();
    const runtimeTrouble =
      ["error", "warning"].includes(message.type()) && /python|pyodide|runner|worker/i.test(text);
    if (/did not load/.test(text) || runtimeTrouble) console.error("page:", text.slice(0, 2000));
  });
  await page.goto(`${APP_URL}${path}`);
  try {
    await page.waitForSelector('[data-editor="monaco"]', { timeout: MONACO_TIMEOUT });
  } catch {
    // A server that has only just come up has been seen to drop the first lazy chunk (Monaco's):
    // the page then stays on its plain textarea, as designed. One reload gets the editor.
    console.error(`Monaco did not load within ${MONACO_TIMEOUT / 1000} s; reloading once`);
    await page.reload();
    await page.waitForSelector('[data-editor="monaco"]');
  }
  return { context, page };
}

/** Chromium with the app open on one page: a test file's `before`, so Monaco and Pyodide load once. */
export async function launchAppPage(): Promise<{ browser: Browser; page: Page }> {
  assert.ok(APP_URL, "FNPAD_URL is not set (start the tests with test/e2e/run.ts)");
  const browser = await launchChromium();
  const { page } = await openApp(browser);
  return { browser, page };
}

/**
 * Pixels of `locator` out of sight: scrolled away inside it, or cut off (above or below) by the
 * window or a box around it that scrolls or clips.
 */
export function hiddenPixels(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    let top = 0;
    let bottom = window.innerHeight;
    for (let up = element.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowY === "visible") continue;
      const frame = up.getBoundingClientRect();
      top = Math.max(top, frame.top);
      bottom = Math.min(bottom, frame.bottom);
    }
    const scrolledAway = Math.max(0, element.scrollHeight - element.clientHeight);
    return scrolledAway + Math.max(0, top - box.top) + Math.max(0, box.bottom - bottom);
  });
}

/**
 * Holds the page's requests to URLs matching `pattern` until the returned function is called,
 * which lets them through and stops holding: what the page shows before the server answers.
 */
export async function holdRequests(page: Page, pattern: string): Promise<() => Promise<void>> {
  let answer = () => {};
  const held = new Promise<void>((resolve) => {
    answer = resolve;
  });
  const passed: Promise<void>[] = [];
  await page.route(pattern, (route) => {
    passed.push(held.then(() => route.continue()));
  });
  return async () => {
    answer();
    // Each held request is let through before the route goes (which would otherwise see them
    // still pending and handle them itself, before their own `continue`).
    for (let settled = 0; settled < passed.length; settled = passed.length)
      await Promise.all(passed);
    await page.unroute(pattern);
  };
}
