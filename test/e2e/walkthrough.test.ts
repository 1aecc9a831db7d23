/** What a new user met in a walkthrough at 1280×720, by keyboard and on a phone, now fixed. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Locator, Page } from "playwright-core";
import {
  chooseLanguage,
  launchAppPage,
  RUN_TIMEOUT,
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

/** Whether the element is wholly inside the window (not scrolled away, not below the fold). */
async function inView(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const viewport = locator.page().viewportSize();
  if (!box || !viewport) return false;
  const visible = await locator.evaluate((element) => {
    const rect = element.getBoundingClientRect();
    const hit = document.elementFromPoint(rect.left + 2, rect.top + rect.height / 2);
    return hit !== null && (element.contains(hit) || hit.contains(element));
  });
  return visible && box.y >= 0 && box.y + box.height <= viewport.height && box.x >= 0;
}

const editorHasFocus = () =>
  page.evaluate(() => document.activeElement?.closest(".monaco-host") !== null);

describe("the walkthrough at 1280×720", () => {
  test("Escape then Tab, and Escape then Shift+Tab, leave the editor without changing the code", async () => {
    await chooseLanguage(page, "typescript");
    const code = 'export default () => "kept";\n';
    await writeCode(page, code);
    await page.locator(".monaco-host .view-lines").click();
    assert.equal(await editorHasFocus(), true);
    const hint = page.getByText("Esc then Tab leaves the editor");
    await hint.waitFor({ state: "visible" });
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    assert.equal(await editorHasFocus(), false);
    await hint.waitFor({ state: "hidden" });
    await page.locator(".monaco-host .view-lines").click();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Shift+Tab");
    assert.equal(await editorHasFocus(), false);
    // Nothing pressed on the way out reached the code (a new snippet's code is kept per language).
    const stored = await page.evaluate(() => localStorage.getItem("fnpad:code:typescript"));
    assert.equal(stored, code);
  });

  test("the editor's hint shows only while Monaco has the focus, and never covers the problems line", async () => {
    await chooseLanguage(page, "typescript");
    await writeCode(page, `export default () => (;\n// ${"a long line ".repeat(12)}\n`);
    const problems = page.getByTestId("problems");
    await page.waitForFunction(
      () =>
        Number(document.querySelector("[data-testid=problems]")?.getAttribute("data-count")) > 0,
    );
    const hint = page.getByText("Esc then Tab leaves the editor");
    await page.locator(".monaco-host .view-lines").click();
    await hint.waitFor({ state: "visible" });
    const [hintBox, problemsBox] = [await hint.boundingBox(), await problems.boundingBox()];
    assert.ok(hintBox && problemsBox);
    assert.ok(
      hintBox.y + hintBox.height <= problemsBox.y + 0.5,
      `the hint covers the problems line: ${JSON.stringify({ hintBox, problemsBox })}`,
    );
    // Out of the editor, onto the problems line's button: the hint goes.
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    assert.equal(await editorHasFocus(), false);
    await hint.waitFor({ state: "hidden" });
    await writeCode(page, 'export default () => "fixed";\n');
  });

  test("after a Python exception the status and the exception's headline are on screen", async () => {
    await chooseLanguage(page, "python");
    const lines = ["def helper(n):", "    return 1 / n", ""];
    for (let i = 0; i < 30; i++)
      lines.push(`def f${i}(n):`, `    return helper(n) if n else f${i}(n + 0)`, "");
    lines.push(
      "def handler(request):",
      `    print("${"line ".repeat(40)}")`,
      "    return helper(0)",
      "",
    );
    await writeCode(page, lines.join("\n"));
    assert.equal(await runInBrowser(page), "500");
    assert.equal(await inView(page.getByTestId("status")), true);
    const headline = page.getByTestId("exception").locator("p").first();
    assert.match((await headline.textContent()) ?? "", /ZeroDivisionError/);
    assert.equal(await inView(headline), true);
    // The results got the room: wider than the old 290 px column, and at least 250 px tall.
    const box = await page.locator("section.response").boundingBox();
    assert.ok(box && box.width > 500 && box.height > 250, JSON.stringify(box));
  });

  test("a run shows a timer while it goes; Stop says the same in both languages", async () => {
    for (const [language, code] of [
      ["python", "def handler(request):\n    while True:\n        pass\n"],
      // Spins on the clock, so it runs until Stop rather than into the work guard's budget.
      [
        "typescript",
        "export default () => {\n  const end = Date.now() + 60_000;\n  while (Date.now() < end) {}\n};\n",
      ],
    ] as const) {
      await chooseLanguage(page, language);
      const status = page.getByTestId(`runtime-${language}`);
      await status
        .getByText("ready")
        .waitFor()
        .catch(async (error: unknown) => {
          throw new Error(`${language} not ready; it shows "${await status.textContent()}"`, {
            cause: error,
          });
        });
      await writeCode(page, code);
      const finished = Number(await page.locator("section.response").getAttribute("data-finished"));
      await page.getByRole("button", { name: "Run", exact: true }).click();
      await page.getByTestId("run-timer").waitFor();
      assert.match((await page.getByTestId("run-timer").textContent()) ?? "", /Running… \d+\.\d s/);
      await page.getByRole("button", { name: "Stop" }).click();
      await page.waitForFunction(
        (count) =>
          Number(document.querySelector("section.response")?.getAttribute("data-finished")) > count,
        finished,
      );
      assert.equal(await page.getByTestId("status").textContent(), "503");
      assert.match((await page.getByTestId("body").textContent()) ?? "", /stopped: by the user/);
    }
  });

  test("a header name that cannot be sent is pointed out in the builder and the run is refused", async () => {
    await chooseLanguage(page, "typescript");
    await writeCode(page, 'export default () => "ran";\n');
    assert.equal(await runInBrowser(page), "200");
    await page.locator("section.request summary", { hasText: "Headers" }).click();
    await page.getByRole("button", { name: "+ Header" }).click();
    await page.getByLabel("Header 1 name").fill("bad header:name");
    const problem = page.locator(".row-problem");
    assert.match((await problem.textContent()) ?? "", /not a valid header name/);
    assert.equal(await page.getByLabel("Header 1 name").getAttribute("aria-invalid"), "true");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    // Where the response would be, in place of the last one (which would read as this run's).
    await page
      .locator("section.response")
      .getByText(/Not sent: Header 1:/)
      .waitFor();
    assert.equal(await page.getByTestId("status").count(), 0);
    await page.getByLabel("Header 1 name").fill("x-good");
    assert.equal(await problem.count(), 0);
    assert.equal(await runInBrowser(page), "200");
    await page.getByRole("button", { name: "Remove header 1" }).click();
  });

  test("a credential typed into the builder is flagged as saved for everyone with the link", async () => {
    await page.locator("section.request summary", { hasText: "Headers" }).click();
    await page.getByRole("button", { name: "+ Header" }).click();
    await page.getByLabel("Header 1 name").fill("Authorization");
    const warning = page.locator(".row-warning");
    assert.equal(await warning.count(), 0, "no value yet, nothing to warn about");
    await page.getByLabel("Header 1 value").fill("Bearer sk-live-123");
    assert.match((await warning.textContent()) ?? "", /anyone with its link sees this value/);
    const describedBy = await page.getByLabel("Header 1 value").getAttribute("aria-describedby");
    assert.equal(describedBy, await warning.getAttribute("id"));
    await page.getByLabel("Header 1 name").fill("x-request-id");
    assert.equal(await warning.count(), 0, "an ordinary header is not flagged");
    await page.getByRole("button", { name: "Remove header 1" }).click();

    const query = page.locator("section.request details", {
      has: page.locator("summary", { hasText: "Query parameters" }),
    });
    if ((await query.getAttribute("open")) === null) await query.locator("summary").click();
    await page.getByRole("button", { name: "+ Query parameter" }).click();
    await page.getByLabel("Query parameter 1 name").fill("api_key");
    await page.getByLabel("Query parameter 1 value").fill("abc");
    assert.match((await warning.textContent()) ?? "", /Keep keys in Env as secrets/);
    await page.getByRole("button", { name: "Remove query parameter 1" }).click();
  });

  test("New on a draft not saved yet starts again from the example; Undo puts the draft back", async () => {
    await page.getByRole("button", { name: "New", exact: true }).click();
    await chooseLanguage(page, "typescript");
    const example = await page.evaluate(() => window.fnpad?.code());
    await writeCode(page, 'export default () => "my draft";\n');
    await page.getByRole("button", { name: "New", exact: true }).click();
    assert.equal(await page.evaluate(() => window.fnpad?.code()), example);
    await page.getByTestId("notice").getByRole("button", { name: "Undo" }).click();
    assert.equal(
      await page.evaluate(() => window.fnpad?.code()),
      'export default () => "my draft";\n',
    );
    assert.equal(await page.getByTestId("notice").count(), 0);
  });

  test("an error without a stack is shown once, its message's lines kept", async () => {
    await chooseLanguage(page, "typescript");
    await writeCode(page, "export default () => () => 1;\n");
    assert.equal(await runInBrowser(page), "500");
    await page.getByTestId("exception").waitFor();
    assert.equal(await page.locator(".exception .traceback").count(), 0);
    await writeCode(page, "export const x = 1;\n");
    assert.equal(await runInBrowser(page), "500");
    const message = page.locator(".exception .exception-message");
    assert.match((await message.textContent()) ?? "", /no handler found/);
    assert.equal(
      await message.evaluate((element) => getComputedStyle(element).whiteSpace),
      "pre-wrap",
    );
  });

  test("a loop the work guard stops says so in the console", async () => {
    await chooseLanguage(page, "typescript");
    await writeCode(page, "export default () => {\n  for (;;) {}\n};\n");
    assert.equal(await runInBrowser(page), "503");
    assert.match(
      (await page.getByTestId("stopped").textContent()) ?? "",
      /^Stopped: work budget exceeded \(a loop, recursion or promise chain/,
    );
    await writeCode(page, 'export default () => "fine";\n');
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("stopped").count(), 0);
  });

  test("a result goes when other code is shown: another language, another version", async () => {
    await chooseLanguage(page, "typescript");
    await writeCode(page, 'export default () => "from typescript";\n');
    assert.equal(await runInBrowser(page), "200");
    await chooseLanguage(page, "python");
    assert.equal(await page.getByTestId("status").count(), 0, "the TypeScript result stayed");
    await page.getByRole("button", { name: "New", exact: true }).click();
    await chooseLanguage(page, "typescript");
    await writeCode(page, 'export default () => "v1";\n');
    await save(page);
    await writeCode(page, 'export default () => "v2";\n');
    await save(page, /Saved version 2\./);
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("body").textContent(), "v2");
    await page.locator("section.versions summary").click();
    await page.getByText("Open version 1").click();
    await page.getByTestId("pinned").waitFor();
    assert.equal(await page.getByTestId("status").count(), 0, "version 2's result stayed");
  });

  test("the comparison with the edge can be closed, and goes when another version opens", async () => {
    await writeCode(page, 'export default () => "v1";\n');
    await page.getByRole("button", { name: "New", exact: true }).click();
    await chooseLanguage(page, "typescript");
    await writeCode(page, 'export default () => "v1";\n');
    const id = await save(page);
    await writeCode(page, 'export default () => "v2";\n');
    await save(page, /Saved version 2\./);
    const bar = await page.locator(".snippet-bar").boundingBox();
    assert.ok(
      bar && bar.height < 48,
      `the snippet bar is ${bar?.height}px high: more than one row`,
    );
    assert.match(await runAtEdge(page), /Same/);
    assert.match(
      (await page.locator(".compare-side .timing").last().textContent()) ?? "",
      /round trip \d/,
    );
    // Another request (or code) than the one compared: the verdict is marked as about the old one.
    assert.equal(await page.getByTestId("edge-stale").count(), 0);
    await page.getByLabel("Path").fill("/changed");
    await page.getByTestId("edge-stale").waitFor();
    await page.getByLabel("Path").fill("/");
    await page.getByTestId("edge-stale").waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Close the comparison" }).click();
    assert.equal(await page.locator("section.edge-compare").count(), 0);

    await runAtEdge(page);
    await page.locator("section.versions summary").click();
    await page.getByRole("button", { name: "Open version 1" }).click();
    await page.waitForURL(new RegExp(`/s/${id}@1$`));
    await page.getByTestId("pinned").waitFor();
    // The comparison goes in an effect after the render that shows the pin: on a busy machine
    // (the service worker caching the build meanwhile) not in the same frame.
    await page.locator("section.edge-compare").waitFor({ state: "detached", timeout: 5000 });
    assert.equal(await page.locator("section.edge-compare").count(), 0);
  });

  test("a Run at edge still going when another version opens brings back no comparison", async () => {
    await page.getByRole("button", { name: "New", exact: true }).click();
    await chooseLanguage(page, "typescript");
    await writeCode(page, 'export default () => "fast v1";\n');
    const id = await save(page);
    // Version 2 takes a second and a half, at the edge and in the browser alike.
    await writeCode(
      page,
      'export default async () => {\n  await new Promise((done) => setTimeout(done, 1500));\n  return "slow v2";\n};\n',
    );
    await save(page, /Saved version 2\./);
    await page.getByRole("button", { name: "Run at edge" }).click();
    await page.locator('section.edge-compare[data-phase="running"]').waitFor();
    const openFirst = page.getByRole("button", { name: "Open version 1" });
    if (!(await openFirst.isVisible())) await page.locator("section.versions summary").click();
    await openFirst.click();
    await page.waitForURL(new RegExp(`/s/${id}@1$`));
    await page.getByTestId("pinned").waitFor();
    // The edge's answer and the browser run of version 2 come back within a few seconds: the
    // comparison they would make is of a version no longer shown.
    const stale = page.locator('section.edge-compare[data-phase="done"]');
    const came = await stale.waitFor({ timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    assert.equal(came, false, "a comparison of version 2 came back over version 1");
    assert.equal(await page.locator("section.edge-compare").count(), 0);
  });
});

test("offline, Run at edge and the env panel say the server can't be reached, not 'Failed to fetch'", async () => {
  await page.getByRole("button", { name: "New", exact: true }).click();
  await chooseLanguage(page, "typescript");
  await writeCode(page, 'export default () => "online";\n');
  await save(page);
  await page.getByLabel("Env name").waitFor();
  await page.context().setOffline(true);
  try {
    await page.getByRole("button", { name: "Run at edge" }).click();
    const failure = page.locator('section.edge-compare[data-phase="failed"] .failure');
    await failure.waitFor();
    const text = (await failure.textContent()) ?? "";
    assert.match(text, /Couldn't reach the server/);
    assert.doesNotMatch(text, /TypeError|Failed to fetch/);
    await page.getByRole("button", { name: "Close the comparison" }).click();

    await page.getByLabel("Env name").fill("OFFLINE_TRY");
    await page.getByRole("button", { name: "Set", exact: true }).click();
    const envError = page.locator("section.env .failure");
    await envError.waitFor();
    const envText = (await envError.textContent()) ?? "";
    assert.match(envText, /Couldn't reach the server/);
    assert.doesNotMatch(envText, /TypeError|Failed to fetch/);
  } finally {
    await page.context().setOffline(false);
  }
});

test("a handler that echoes its request headers gives the same answer in the browser and at the edge", async () => {
  await page.getByRole("button", { name: "New", exact: true }).click();
  await chooseLanguage(page, "typescript");
  await writeCode(page, "export default (req: Request) => Response.json([...req.headers]);\n");
  await save(page);
  // The browser's fetch adds user-agent, accept, sec-fetch-*: the browser run gets them too.
  assert.match(await runAtEdge(page), /^Same status, handler headers and body/);
  const echoed = JSON.parse((await page.getByTestId("body").textContent()) ?? "[]") as string[][];
  const names = echoed.map(([name]) => name);
  assert.ok(names.includes("user-agent") && names.includes("accept"), names.join());
  assert.ok(!names.includes("x-fnpad-echo-request"), "the marker reached the handler");
});

describe("start-up at 1280×720", () => {
  for (const colorScheme of ["light", "dark"] as const) {
    test(`${colorScheme}: the toolbar is one row, within the window, while the runtimes load, and Monaco's background is the page's`, async () => {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 720 },
        colorScheme,
      });
      const fresh = await context.newPage();
      fresh.setDefaultTimeout(RUN_TIMEOUT);
      const toolbar = () =>
        fresh.evaluate(() => {
          const bar = document.querySelector(".toolbar");
          const tops = [...(bar?.children ?? [])]
            .filter((child) => child.getBoundingClientRect().height > 0)
            .map((child) => child.getBoundingClientRect().top);
          return {
            height: bar?.getBoundingClientRect().height ?? 0,
            title: document.querySelector(".title-input")?.getBoundingClientRect().width ?? 0,
            // A runtime's state that shows less than its text ("TypeScript read", "Python S…").
            cut: [...document.querySelectorAll(".runtime-status, .runtime-status > span")]
              .filter((element) => element.scrollWidth > element.clientWidth)
              .map((element) => element.textContent),
            spread: Math.max(...tops) - Math.min(...tops),
            loading: document.querySelector("progress") !== null,
            // How far the page runs past the window's right edge (a sideways scrollbar).
            overflow: document.documentElement.scrollWidth - innerWidth,
          };
        });
      try {
        await fresh.goto(page.url().replace(/\/s\/.*$/, "/"));
        await fresh.locator(".toolbar").waitFor();
        const loading = await toolbar();
        await fresh.getByTestId("runtime-python").getByText("ready").waitFor();
        const ready = await toolbar();
        assert.ok(loading.spread < 12, `toolbar rows while loading: ${JSON.stringify(loading)}`);
        assert.ok(loading.overflow <= 0, `the page scrolls sideways: ${JSON.stringify(loading)}`);
        assert.ok(ready.overflow <= 0, `the page scrolls sideways: ${JSON.stringify(ready)}`);
        assert.equal(ready.height, loading.height, "the toolbar changed height once loaded");
        // Nothing jumps when loading ends: the runtimes' states keep their room, the title its width.
        assert.equal(ready.title, loading.title, "the title changed width once loaded");
        assert.deepEqual([...loading.cut, ...ready.cut], [], "a runtime's state is cut short");
        const [editor, pageBackground] = await fresh.evaluate(() => [
          getComputedStyle(document.querySelector(".monaco-editor-background") as Element)
            .backgroundColor,
          // The page's background (`--bg`, on the root element).
          getComputedStyle(document.documentElement).backgroundColor,
        ]);
        assert.equal(editor, pageBackground);
      } finally {
        await context.close();
      }
    });
  }
});

describe("on a phone (390×844)", () => {
  test("the response comes into view after Run, with long lines wrapped", async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
    });
    const phone = await context.newPage();
    phone.setDefaultTimeout(RUN_TIMEOUT);
    try {
      await phone.goto(page.url().replace(/\/s\/.*$/, "/"));
      await phone.waitForSelector('[data-editor="monaco"]');
      await chooseLanguage(phone, "typescript");
      await writeCode(phone, `export default () => ({ text: "${"word ".repeat(60)}" });\n`);
      await phone.getByRole("button", { name: "Run", exact: true }).click();
      await phone.getByTestId("status").waitFor();
      await phone.waitForFunction(() => {
        const rect = document.querySelector("[data-testid=status]")?.getBoundingClientRect();
        return rect !== undefined && rect.top >= 0 && rect.bottom <= innerHeight;
      });
      const body = phone.getByTestId("body");
      const overflow = await body.evaluate((element) => element.scrollWidth - element.clientWidth);
      assert.ok(overflow <= 1, `the body scrolls sideways by ${overflow}px`);
      assert.equal(await phone.getByText("Ctrl/Cmd").filter({ visible: true }).count(), 0);
    } finally {
      await context.close();
    }
  });
});
