/**
 * Bad Wi-Fi: after one visit the app, Monaco and Pyodide come from the service worker's cache, so
 * the page opens and runs both languages with the network off; and a new build's cache replaces
 * the old one.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { ROOT } from "../../tools/processes.ts";
import { launchChromium } from "./chromium.ts";
import { APP_URL, chooseLanguage, openApp, runInBrowser, writeCode } from "./snippet-page.ts";

let browser: Browser;

before(async () => {
  browser = await launchChromium();
});

after(() => browser?.close());

/** Waits until the service worker has cached the build and controls the page; the cache names. */
async function offlineReady(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 100));
    return caches.keys();
  });
}

/** Whether a `fetch` of `path` from the page was answered, or failed for want of the network. */
function fetchedFrom(page: Page, path: string): Promise<string> {
  return page.evaluate(
    (url) =>
      fetch(url).then(
        () => "an answer",
        () => "the network, offline",
      ),
    path,
  );
}

/** Runs `code` in `language` on the open page; the response body. */
async function runCode(page: Page, language: "python" | "typescript", code: string) {
  await chooseLanguage(page, language);
  await writeCode(page, code);
  assert.equal(await runInBrowser(page), "200");
  return page.getByTestId("body").textContent();
}

const PYTHON = 'import sys\ndef handler(request):\n    return f"python {sys.version_info[0]}"\n';
const TYPESCRIPT = 'export default () => "typescript " + (1 + 1);\n';

describe("offline", () => {
  test("after one visit, a reload with the network off opens the app and runs Python and TypeScript", async () => {
    const { context, page } = await openApp(browser);
    try {
      // The speaker's snippet, opened once while online.
      const created = await fetch(`${APP_URL}/api/snippets`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          language: "python",
          code: 'def handler(request):\n    return "the talk\'s demo"\n',
          title: "Talk demo",
        }),
      });
      const { id: talkId } = (await created.json()) as { id: string };
      await page.goto(`${APP_URL}/s/${talkId}`);
      await page.waitForSelector('[data-editor="monaco"]');
      await page.getByRole("heading", { name: "Talk demo" }).waitFor();
      await page.goto(APP_URL);
      await page.waitForSelector('[data-editor="monaco"]');
      assert.equal(await runCode(page, "python", PYTHON), "python 3");
      const names = await offlineReady(page);
      assert.equal(names.length, 1);
      assert.match(names[0] ?? "", /^fnpad-build-[0-9a-f]{20}$/);
      // Pyodide's wasm came gzipped as built, never compressed by the server on the fly.
      const wasmFetched = await page.evaluate(() =>
        performance
          .getEntriesByType("resource")
          .map((entry) => new URL(entry.name).pathname)
          .filter((path) => path.includes("pyodide.asm.wasm")),
      );
      assert.deepEqual(wasmFetched, ["/pyodide/pyodide.asm.wasm.gz"]);
      // Python's snapshot and wasm are kept unzipped too, for later visits to read rather than unzip.
      const kept = await page.evaluate(async (name) => {
        const cache = await caches.open(name);
        const file = async (path: string) => {
          const response = await cache.match(path);
          return {
            size: (await response?.blob())?.size ?? 0,
            type: response?.headers.get("Content-Type"),
          };
        };
        return {
          snapshot: [
            await file("/pyodide/python-snapshot.bin.gz"),
            await file("/pyodide/python-snapshot.bin"),
          ],
          wasm: [
            await file("/pyodide/pyodide.asm.wasm.gz"),
            await file("/pyodide/pyodide.asm.wasm"),
          ],
        };
      }, names[0] ?? "");
      for (const [gzipped, unzipped] of [kept.snapshot, kept.wasm]) {
        const [zipped, whole] = [gzipped?.size ?? 0, unzipped?.size ?? 0];
        assert.ok(zipped && whole > 2 * zipped, JSON.stringify(kept));
      }
      assert.equal(kept.wasm[1]?.type, "application/wasm");

      await context.setOffline(true);
      assert.equal(await fetchedFrom(page, "/api/health"), "the network, offline");
      const reloaded = await page.reload();
      assert.ok(reloaded?.fromServiceWorker(), "the page came from the service worker");
      await page.waitForSelector('[data-editor="monaco"]');
      // Cross-origin isolation survives the cache (the headers were kept): Python is interrupted in place.
      assert.equal(await page.evaluate(() => crossOriginIsolated), true);
      assert.equal(await runCode(page, "python", PYTHON), "python 3");
      assert.deepEqual(await snapshotMarks(page), ["fnpad:python-snapshot-read"]);
      assert.equal(await runCode(page, "typescript", TYPESCRIPT), "typescript 2");
      // A shared snippet's page opens too (the API cannot answer: the page says so).
      await page.goto(`${APP_URL}/s/zzzz23456789`);
      await page.waitForSelector('[data-editor="monaco"]');
      // A talk's link opens in presenter mode: a navigation's query is the page's own.
      const presenting = await page.goto(`${APP_URL}/s/zzzz23456789?present`);
      assert.ok(presenting?.fromServiceWorker(), "the presenter link came from the service worker");
      await page.waitForSelector('.app.present [data-editor="monaco"]');
      assert.equal(await page.getByRole("button", { name: "Exit presenter" }).count(), 1);
      // The speaker's snippet, opened before, opens from this browser's copy and runs.
      await page.goto(`${APP_URL}/s/${talkId}?present`);
      await page.waitForSelector('.app.present [data-editor="monaco"]');
      await page.getByText(/can't be reached: this is version 1/).waitFor();
      assert.equal(await runInBrowser(page), "200");
      assert.equal(await page.getByTestId("body").textContent(), "the talk's demo");
      // Any other request with a query is not the build's to answer: it goes to the network.
      assert.equal(await fetchedFrom(page, "/?probe"), "the network, offline");
    } finally {
      await context.close();
    }
  });

  test("a new build's cache replaces the old one when the only page reloads", async () => {
    const real = await readFile(`${ROOT}dist/sw.js`, "utf8");
    const version = /"version":"([0-9a-f]+)"/.exec(real)?.[1];
    assert.ok(version, "the service worker carries its build's version");
    // The build before: the same files under another version.
    const previous = real.replace(`"version":"${version}"`, '"version":"previousbuild"');
    const { context, page } = await openAppWithWorker(previous);
    try {
      assert.deepEqual(await offlineReady(page), ["fnpad-build-previousbuild"]);
      await context.unroute("**/sw.js");
      const installed = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        await registration.update();
        const next = registration.installing ?? registration.waiting;
        while (next && next.state !== "installed" && next.state !== "activated")
          await new Promise((r) => setTimeout(r, 100));
        return { waiting: registration.waiting !== null, caches: await caches.keys() };
      });
      // The new build waits while the old build's page is open: that page keeps its cache.
      assert.deepEqual(installed, {
        waiting: true,
        caches: ["fnpad-build-previousbuild", `fnpad-build-${version}`],
      });
      // The reload is answered with a reload once the new build's worker is in charge. On a
      // loaded machine the switch has been seen to need one more reload (as a person would do).
      const switched = async () => {
        try {
          await page.waitForFunction(
            async (name) =>
              (await caches.keys()).join() === name && document.querySelector("#app *"),
            `fnpad-build-${version}`,
            { timeout: 15_000 },
          );
          return true;
        } catch {
          return false;
        }
      };
      let reloads = 0;
      let done = false;
      while (!done && reloads < 3) {
        // The worker may answer with `Refresh: 0` (the switch), whose own navigation replaces the
        // one reloading: Chromium then reports the first as aborted, which is the design working.
        await page.reload().catch((error: unknown) => {
          if (!String(error).includes("ERR_ABORTED")) throw error;
        });
        reloads += 1;
        done = await switched();
      }
      if (reloads > 1) console.log(`  the new build took over after ${reloads} reloads`);
      assert.ok(done, "the new build took over within three reloads");
      assert.equal(
        await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL),
        `${APP_URL}/sw.js`,
      );
      assert.equal(await runCode(page, "typescript", TYPESCRIPT), "typescript 2");
    } finally {
      await context.close();
    }
  });
});

/** How the Python worker got its snapshot's bytes (the marks it left: read, or unzipped). */
async function snapshotMarks(page: Page): Promise<string[]> {
  for (const worker of page.workers()) {
    const marks = await worker.evaluate(() =>
      self.name === "python"
        ? performance
            .getEntriesByType("mark")
            .map((mark) => mark.name)
            .filter((name) => name.startsWith("fnpad:python-snapshot-"))
        : null,
    );
    if (marks) return marks;
  }
  return [];
}

/** Opens the app with `/sw.js` answered by `worker` (an older build's service worker). */
async function openAppWithWorker(worker: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.route("**/sw.js", (route) =>
    route.fulfill({ contentType: "text/javascript", body: worker }),
  );
  const page = await context.newPage();
  await page.goto(APP_URL);
  await page.waitForSelector('[data-editor="monaco"]');
  return { context, page };
}
