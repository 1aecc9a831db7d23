/** Presenter mode at 1280×720, as a speaker uses it in a talk. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import jsQR from "jsqr";
import type { Browser, Locator, Page } from "playwright-core";
import { launchChromium } from "./chromium.ts";
import {
  APP_URL,
  chooseLanguage,
  hiddenPixels,
  holdRequests,
  openApp,
  RUN_TIMEOUT,
  runInBrowser,
  save,
  writeCode,
} from "./snippet-page.ts";

let browser: Browser;

before(async () => {
  browser = await launchChromium();
});

after(() => browser?.close());

/** Whether the element is wholly inside the 1280×720 window. */
async function onScreen(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  return (
    box !== null &&
    box.y >= 0 &&
    box.x >= 0 &&
    box.y + box.height <= 720 &&
    box.x + box.width <= 1280
  );
}

/** Waits until every line Monaco draws is at `size` px. */
function codeLinesAt(page: Page, size: number) {
  return page.waitForFunction(
    (expected) =>
      [...document.querySelectorAll(".monaco-host .view-line")].every(
        (line) => Number.parseFloat(getComputedStyle(line).fontSize) === expected,
      ),
    size,
  );
}

/** Decodes the QR code the page shows, drawn to a canvas in the page and read with jsQR. */
async function decodeQr(qr: Locator): Promise<string | null> {
  const pixels = await qr.evaluate(async (svg) => {
    const size = 400;
    const markup = new XMLSerializer().serializeToString(svg);
    const url = URL.createObjectURL(new Blob([markup], { type: "image/svg+xml" }));
    const image = new Image(size, size);
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext("2d");
    if (!context) throw new Error("no 2d context");
    context.drawImage(image, 0, 0, size, size);
    URL.revokeObjectURL(url);
    return { size, data: [...context.getImageData(0, 0, size, size).data] };
  });
  return jsQR(new Uint8ClampedArray(pixels.data), pixels.size, pixels.size)?.data ?? null;
}

/** The text before each line break inside `element` (its lines but the last). */
function lineBreaks(element: Element): string[] {
  const range = document.createRange();
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let text = "";
  let top: number | null = null;
  const before: string[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < (node.textContent ?? "").length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const y = range.getBoundingClientRect().top;
      if (top !== null && y > top + 2) before.push(text);
      top = y;
      text += node.textContent?.[i] ?? "";
    }
  }
  return before;
}

describe("presenter mode", () => {
  test("shows big code, a QR code for the endpoint, a curl line and the last response on one screen", async () => {
    const created = await fetch(`${APP_URL}/api/snippets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        language: "python",
        title: "Talk demo",
        code: "def handler(request):\n    print('called')\n    return {'hello': request.query.get('name', 'room')}\n",
      }),
    });
    const { id, endpointUrl } = (await created.json()) as { id: string; endpointUrl: string };
    const { context, page } = await openApp(browser, `/s/${id}?present`);
    try {
      // Monaco redraws its lines as markers arrive: read the size of lines that are drawn.
      const drawn = await page.waitForFunction(() => {
        const sizes = [...document.querySelectorAll(".monaco-host .view-line")]
          .map((line) => Number.parseFloat(getComputedStyle(line).fontSize))
          .filter((size) => size > 0);
        return sizes.length > 0 ? Math.max(...sizes) : false;
      });
      const fontSize = (await drawn.jsonValue()) as number;
      assert.ok(fontSize >= 24, `code at ${fontSize}px`);

      const qr = page.getByTestId("qr");
      assert.match((await qr.getAttribute("aria-label")) ?? "", new RegExp(endpointUrl));
      assert.equal(await decodeQr(qr), endpointUrl);
      assert.equal(await page.getByTestId("present-endpoint").textContent(), endpointUrl);
      const curl = (await page.getByTestId("present-curl").textContent()) ?? "";
      assert.match(curl, new RegExp(`^curl .*${endpointUrl}`));
      assert.ok(!curl.includes("\n"), "the curl command is one line");

      assert.equal(await runInBrowser(page), "200");
      for (const part of [
        qr,
        page.getByTestId("present-endpoint"),
        page.getByTestId("status"),
        page.getByTestId("body"),
      ]) {
        assert.equal(await onScreen(part), true, `${part} is off screen`);
      }
      assert.equal(await page.locator("section.request").count(), 0);
      // The curl line is there whole, wrapped rather than scrolled.
      const curlBox = page.getByTestId("present-curl");
      assert.equal(await onScreen(curlBox), true, "the curl line is off screen");
      const hidden = await curlBox.evaluate((pre) => pre.scrollWidth - pre.clientWidth);
      assert.ok(hidden <= 1, `${hidden}px of the curl line are scrolled out of sight`);
      // It wraps between words, never inside an option (`-` and `-data-raw` on two lines).
      const options = await curlBox
        .locator(".nowrap")
        .evaluateAll((spans) =>
          spans.map((span) => [span.textContent, span.getClientRects().length]),
        );
      assert.ok(options.length >= 1, "the options are kept whole");
      for (const [option, lines] of options) assert.equal(lines, 1, `${option} is broken`);
      // The endpoint breaks after a "/", never inside the snippet's id.
      const breaks = await page.getByTestId("present-endpoint").evaluate(lineBreaks);
      assert.ok(
        breaks.every((before) => before.endsWith("/")),
        `the endpoint URL breaks after ${JSON.stringify(breaks)}`,
      );
      // The response gets most of the results' height; the console (one line) what it needs.
      const [results, consoleBox] = await Promise.all(
        [".presenter-side > .results", ".presenter-side .console"].map((selector) =>
          page.locator(selector).boundingBox(),
        ),
      );
      assert.ok(results && consoleBox);
      assert.ok(
        consoleBox.height <= results.height * 0.3,
        `the console takes ${consoleBox.height}px of ${results.height}px`,
      );

      // A+ makes the code bigger, and the size is kept for presenter mode in this browser.
      await page.getByRole("button", { name: "A+" }).click();
      await page.reload();
      await page.waitForSelector('[data-editor="monaco"]');
      // Monaco redraws its lines as markers arrive: wait for a drawn line at the kept size.
      await page.waitForFunction(
        (expected) =>
          [...document.querySelectorAll(".monaco-host .view-line")].some(
            (line) => Number.parseFloat(getComputedStyle(line).fontSize) === expected,
          ),
        fontSize + 2,
      );
      // Ctrl/Cmd+- inside the editor does the same as A−, and is kept too.
      await page.locator(".monaco-host .view-lines").click();
      await page.keyboard.press("Control+Minus");
      await codeLinesAt(page, fontSize);
      assert.equal(
        await page.evaluate(() => localStorage.getItem("fnpad:font-size:present")),
        String(fontSize),
      );

      // Leaving restores the normal layout, and the address bar follows.
      await page.getByRole("button", { name: "Exit presenter" }).click();
      await page.locator("section.request").waitFor();
      assert.equal(await page.getByTestId("qr").count(), 0);
      assert.equal(new URL(page.url()).search, "");
      await page.keyboard.press("Control+Shift+P");
      await page.getByTestId("qr").waitFor({ timeout: RUN_TIMEOUT });
      assert.equal(new URL(page.url()).search, "?present");
    } finally {
      await context.close();
    }
  });
});

/** The toolbar's parts that show less than their text: the title, and each runtime's state. */
function cutInToolbar(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [".title-input", ".runtimes", ".runtime-status > span"].filter((selector) =>
      [...document.querySelectorAll(selector)].some(
        (element) => element.scrollWidth > element.clientWidth,
      ),
    ),
  );
}

test("presenting, the owner's live calls are on screen with the curl line, without scrolling", async () => {
  const { context, page } = await openApp(browser);
  try {
    await chooseLanguage(page, "typescript");
    await writeCode(
      page,
      'export default (req: Request) => "hello " + new URL(req.url).pathname;\n',
    );
    await page.getByLabel("Title").fill("Hello from the conference room");
    await save(page);
    // The toolbar gives the title and the runtimes' state room: neither is cut short, whether
    // presenting or not (the saved snippet's language is named, not offered).
    await page.getByTestId("runtime-python").getByText("ready").waitFor();
    await page.getByTestId("runtime-typescript").getByText("ready").waitFor();
    assert.deepEqual(await cutInToolbar(page), [], "cut short in the toolbar");
    await page.getByRole("button", { name: "Present" }).click();
    assert.deepEqual(await cutInToolbar(page), [], "cut short in the presenting toolbar");
    const endpoint = (await page.getByTestId("present-endpoint").textContent()) ?? "";
    assert.match(endpoint, /\/fn\//);
    await page.locator('section.calls[data-status="live"]').waitFor();

    // Someone in the room calls the endpoint.
    const called = await fetch(`${endpoint}/from-the-room`);
    assert.equal(await called.text(), "hello /from-the-room");
    const row = page.getByTestId("call-row").filter({ hasText: "/from-the-room" });
    await row.waitFor({ timeout: 15_000 });
    assert.equal(await onScreen(row), true, "the call row is off screen");
    assert.equal(
      await onScreen(page.getByTestId("present-curl")),
      true,
      "the curl line is off screen",
    );
    const height = await page.evaluate(() => document.scrollingElement?.scrollHeight ?? 0);
    assert.ok(height <= 720, `the page scrolls: ${height}px high`);

    // Leaving presenter mode moves the panel: it shows the calls it had at once, not an empty
    // list while it reads the log again (held here until the panel is checked).
    const answer = await holdRequests(page, "**/api/snippets/*/calls");
    await page.getByRole("button", { name: "Exit presenter" }).click();
    await page.locator(".app.present").waitFor({ state: "detached" });
    assert.equal(await page.getByTestId("calls-count").textContent(), "1");
    await answer();
    await page.locator('section.calls[data-status="live"]').waitFor();
    assert.equal(await page.getByTestId("calls-count").textContent(), "1");
  } finally {
    await context.close();
  }
});

test("presenting, a run's JSON answer and its print are shown whole beside the room's calls", async () => {
  // A small answer (three keys, a three-item array) beside six calls showed three lines of
  // itself, the rest scrolled away inside a 209 px box.
  const { context, page } = await openApp(browser);
  try {
    await chooseLanguage(page, "typescript");
    await writeCode(
      page,
      [
        "export default (req: Request) => {",
        '  const name = new URL(req.url).searchParams.get("name") ?? "world";',
        '  console.log("called by", name);',
        "  return { hello: name, items: [1, 2, 3], ok: true };",
        "};",
        "",
      ].join("\n"),
    );
    await save(page);
    await page.getByRole("button", { name: "Present" }).click();
    // The save's notice took a line of the room's screen until dismissed.
    assert.equal(await page.getByTestId("notice").count(), 0, "the save's notice stays");
    await page.locator('section.calls[data-status="live"]').waitFor();
    const endpoint = (await page.getByTestId("present-endpoint").textContent()) ?? "";
    for (let call = 1; call <= 6; call += 1) await fetch(`${endpoint}/p${call}?name=room${call}`);
    await page.getByTestId("call-row").filter({ hasText: "/p6" }).waitFor({ timeout: 15_000 });
    assert.equal(await runInBrowser(page), "200");
    const body = page.getByTestId("body");
    const answer = JSON.parse((await body.textContent()) ?? "");
    assert.deepEqual(answer, { hello: answer.hello, items: [1, 2, 3], ok: true });
    assert.equal(await hiddenPixels(body), 0, "the answer is partly hidden");
    const printed = page.getByText(`called by ${answer.hello}`, { exact: true });
    assert.equal(await hiddenPixels(printed), 0, "the print is hidden");
    assert.equal(await onScreen(page.getByTestId("call-row").first()), true);
    const height = await page.evaluate(() => document.scrollingElement?.scrollHeight ?? 0);
    assert.ok(height <= 720, `the page scrolls: ${height}px high`);
  } finally {
    await context.close();
  }
});

test("frozen, presenter mode says which version the endpoint serves while the speaker saves on", async () => {
  const { context, page } = await openApp(browser);
  try {
    await chooseLanguage(page, "typescript");
    await writeCode(page, 'export default () => "version one";\n');
    await save(page);
    await page.getByRole("button", { name: "Freeze" }).click();
    await page.getByTestId("frozen").waitFor();
    await writeCode(page, 'export default () => "version two";\n');
    await save(page, /Saved version 2\./);
    await page.getByRole("button", { name: "Present" }).click();
    const frozen = page.getByTestId("present-frozen");
    await frozen.waitFor();
    assert.equal(await frozen.textContent(), "Frozen at version 1");
    assert.equal(await onScreen(frozen), true, "the frozen line is off screen");
    const endpoint = (await page.getByTestId("present-endpoint").textContent()) ?? "";
    assert.equal(await (await fetch(`${endpoint}/`)).text(), "version one");
  } finally {
    await context.close();
  }
});

test("a visitor and Copy as curl start from the request the author saved", async () => {
  const { context: own, page: author } = await openApp(browser);
  const { context: other, page: visitor } = await openApp(browser);
  try {
    await chooseLanguage(author, "typescript");
    await writeCode(author, "export default (req: Request) => new URL(req.url).pathname;\n");
    await author.getByLabel("Method").selectOption("POST");
    await author.getByLabel("Path").fill("/orders/42");
    await author.getByLabel("Description").fill("Echoes the path");
    const id = await save(author);

    await visitor.getByLabel("Path").fill("/something-else");
    await visitor.goto(`${APP_URL}/s/${id}`);
    await visitor.waitForSelector('[data-editor="monaco"]');
    await visitor.getByTestId("description").filter({ hasText: "Echoes the path" }).waitFor();
    assert.equal(await visitor.getByLabel("Path").inputValue(), "/orders/42");
    assert.equal(await visitor.getByLabel("Method").inputValue(), "POST");
    assert.equal(await runInBrowser(visitor), "200");
    assert.equal(await visitor.getByTestId("body").textContent(), "/orders/42");
    await visitor.locator("details.curl summary").click();
    assert.match(
      (await visitor.getByTestId("curl-command").textContent()) ?? "",
      /-X POST .*\/orders\/42/,
    );
  } finally {
    await own.close();
    await other.close();
  }
});

test("presenting a new snippet in the dark: the title field shows its placeholder whole, the code is high contrast, Ctrl+= makes it bigger", async () => {
  const { context, page } = await openApp(browser);
  try {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.getByRole("button", { name: "Present" }).click();
    await page.locator(".app.present").waitFor();
    // Not saved yet, the language switch shares the toolbar: "Untitled snippet" still fits.
    const room = await page.locator(".title-input").evaluate((input: HTMLInputElement) => {
      const style = getComputedStyle(input);
      const context2d = document.createElement("canvas").getContext("2d");
      if (!context2d) throw new Error("no canvas");
      context2d.font = style.font;
      const inside =
        input.clientWidth -
        Number.parseFloat(style.paddingLeft) -
        Number.parseFloat(style.paddingRight);
      return { text: context2d.measureText(input.placeholder).width, inside };
    });
    assert.ok(
      room.text <= room.inside,
      `placeholder ${room.text}px in a field of ${room.inside}px`,
    );

    // Monaco's high-contrast theme, on the page's own background.
    const editor = page.locator(".monaco-host .monaco-editor");
    await page.waitForFunction(() =>
      document.querySelector(".monaco-host .monaco-editor.hc-black"),
    );
    const backgrounds = await editor.evaluate((element) => {
      const background = (node: Element) => getComputedStyle(node).backgroundColor;
      const app = document.querySelector(".app");
      return { editor: background(element), page: app ? background(app) : "" };
    });
    assert.equal(backgrounds.editor, backgrounds.page);

    const lineSize = () =>
      page
        .locator(".monaco-host .view-line")
        .first()
        .evaluate((line) => Number.parseFloat(getComputedStyle(line).fontSize));
    const before = await lineSize();
    await page.locator(".monaco-host .view-lines").click();
    await page.keyboard.press("Control+Equal");
    await codeLinesAt(page, before + 2);
  } finally {
    await context.close();
  }
});
