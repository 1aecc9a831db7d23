/**
 * A shared snippet is somebody else's code: opened and run in a victim's browser, it must not
 * reach the page (its storage with the edit tokens, its DOM, its globals). The attack below
 * took over the page before handlers ran behind the opaque-origin runner frame.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import type { Language } from "../../workers/runtime-protocol.ts";
import { launchChromium } from "./chromium.ts";
import {
  APP_URL,
  chooseLanguage,
  openApp,
  pageResponses,
  runInBrowser,
  save,
  writeCode,
} from "./snippet-page.ts";
import {
  NAVIGATE_AWAY_ATTACK,
  OVERSIZED_RESULT_ATTACK,
  PYTHON_ATTACK,
  TYPESCRIPT_ATTACK,
} from "./takeover-attack.ts";

let browser: Browser;

before(async () => {
  browser = await launchChromium();
});

after(() => browser?.close());

const VICTIM_CODE: Record<Language, string> = {
  python: 'def handler(request):\n    return "the victim\'s own"\n',
  typescript: 'export default () => "the victim\'s own";\n',
};
const ATTACK: Record<Language, string> = { python: PYTHON_ATTACK, typescript: TYPESCRIPT_ATTACK };

/** The app's offline copy once cached: its service workers, each cache, and what each holds. */
function offlineCopy(page: Page) {
  return page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    const workers = (await navigator.serviceWorker.getRegistrations()).map(
      (registration) => registration.active?.scriptURL,
    );
    const cached: string[] = [...workers.map((url) => `worker ${url}`)];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        cached.push(`${name} ${request.url} ${(await response?.blob())?.size}`);
      }
    }
    return cached;
  });
}

/** The attacker shares a snippet made elsewhere. */
async function shareAttack(language: Language): Promise<string> {
  const response = await fetch(`${APP_URL}/api/snippets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ language, code: ATTACK[language] }),
  });
  assert.equal(response.status, 201);
  return ((await response.json()) as { id: string }).id;
}

describe("a shared snippet run in the victim's browser", () => {
  for (const language of ["typescript", "python"] as const) {
    test(`${language}: a Comlink takeover from the worker stays in the opaque runner frame`, async () => {
      const { context, page } = await openApp(browser);
      try {
        await chooseLanguage(page, language);
        await writeCode(page, VICTIM_CODE[language]);
        const victimId = await save(page);
        const tokenKey = `fnpad:token:${victimId}`;
        const token = await page.evaluate((key) => localStorage.getItem(key), tokenKey);
        assert.ok(token, "the victim's edit token is in localStorage");
        const cachedBefore = await offlineCopy(page);
        assert.ok(cachedBefore.length > 10, "the service worker has cached the build");

        const attackId = await shareAttack(language);
        await page.goto(`${APP_URL}/s/${attackId}`);
        await page.waitForSelector('[data-editor="monaco"]');
        assert.equal(await runInBrowser(page), "200");

        const { browser: response } = await pageResponses(page);
        const found = JSON.parse(new TextDecoder().decode(response?.body)) as Record<
          string,
          string
        >;
        // The attack did run its payload where the log callback lives: the runner frame, whose
        // origin is opaque. From there the page's storage and window are out of reach.
        assert.equal(found.ranIn, "null", JSON.stringify(found));
        assert.match(found.storage ?? "", /^denied: SecurityError/);
        assert.match(found.page ?? "", /^denied: SecurityError/);
        assert.match(found.navigation ?? "", /^denied/);
        assert.equal(found.popup, "blocked");
        // Nothing it can reach writes the app's offline copy or registers a worker.
        assert.match(found.caches ?? "", /^denied: SecurityError/);
        assert.match(found.serviceWorker ?? "", /^denied: SecurityError/);
        assert.match(found.hostCaches ?? "", /^denied: SecurityError/);
        assert.match(found.hostServiceWorker ?? "", /^denied: SecurityError/);
        assert.equal(found.workerCaches, "undefined");
        assert.equal(found.workerServiceWorker, "undefined");
        assert.deepEqual(await offlineCopy(page), cachedBefore);
        assert.match(runnerFrame(page).url(), /\/runner$/, "the runner was navigated");

        assert.equal(await page.evaluate(() => "__fnpadPwned" in window), false);
        assert.notEqual(await page.title(), "pwned");
        assert.equal(await page.evaluate((key) => localStorage.getItem(key), tokenKey), token);
        const victim = await fetch(`${APP_URL}/api/snippets/${victimId}`);
        const saved = (await victim.json()) as { code: string; version: number };
        assert.deepEqual([saved.code, saved.version], [VICTIM_CODE[language], 1]);
      } finally {
        await context.close();
      }
    });
  }
});

test("a runner taken over by its snippet cannot make the page render an oversized result", async () => {
  const { context, page } = await openApp(browser);
  try {
    await chooseLanguage(page, "typescript");
    await writeCode(page, OVERSIZED_RESULT_ATTACK);
    // Ends at once, with fnpad's 502 saying why, not with 9 MiB on screen or a hang.
    assert.equal(await runInBrowser(page), "502");
    assert.match(
      (await page.getByTestId("body").textContent()) ?? "",
      /the runner sent an oversized result \(a response body over 8 MiB\)/,
    );
    // The frame it took over is replaced: the next run is an honest one's.
    await writeCode(page, 'export default () => "honest";\n');
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("body").textContent(), "honest");
  } finally {
    await context.close();
  }
});

test("a runner that navigates its own frame away is replaced, and the page stays the runner's only parent", async () => {
  const { context, page } = await openApp(browser);
  try {
    await chooseLanguage(page, "typescript");
    await writeCode(page, NAVIGATE_AWAY_ATTACK);
    // The document that came in is the app's own page: the page closes it and opens a fresh
    // runner rather than taking it for one served without its sandbox.
    assert.equal(await runInBrowser(page), "503");
    assert.match(
      (await page.getByTestId("body").textContent()) ?? "",
      /the runner's document was navigated away/,
    );
    await writeCode(page, 'export default () => "honest";\n');
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("body").textContent(), "honest");
    assert.equal(await page.locator('iframe[title="fnpad runner"]').count(), 1);
    assert.equal(runnerFrame(page).url(), `${APP_URL}/runner`);
  } finally {
    await context.close();
  }
});

/** The page's runner frame (on an opaque origin, so reached through Playwright, not the DOM). */
function runnerFrame(page: Page): Frame {
  const runner = page.frames().find((frame) => new URL(frame.url()).pathname === "/runner");
  assert.ok(runner, "the page has a runner frame");
  return runner;
}

test("the runner is sandboxed by its response, and a frame it opens is sandboxed too", async () => {
  // The runner's frame has no `sandbox` attribute (the service worker would not serve it): its
  // document is served with `Content-Security-Policy: sandbox allow-scripts`, which makes its
  // origin opaque, and a frame inherits its parent's sandbox.
  const { context, page } = await openApp(browser);
  try {
    await chooseLanguage(page, "typescript");
    assert.equal(
      await page.locator('iframe[title="fnpad runner"]').getAttribute("sandbox"),
      null,
      "the runner's frame is sandboxed by its attribute after all",
    );
    const runner = runnerFrame(page);
    const found = await runner.evaluate(async () => {
      const frame = document.createElement("iframe");
      frame.srcdoc = "<!doctype html><title>unsandboxed</title>";
      const loaded = new Promise((resolve) => frame.addEventListener("load", resolve));
      document.body.append(frame);
      await loaded;
      return { runner: self.origin };
    });
    assert.equal(found.runner, "null");
    const unsandboxed = runner.childFrames().at(-1);
    assert.ok(unsandboxed);
    const reach = await unsandboxed.evaluate(() => {
      let storage: string;
      try {
        storage = `${Object.keys(localStorage).length} keys`;
      } catch (error) {
        storage = `denied: ${(error as Error).name}`;
      }
      let page: string;
      try {
        page = String(top?.document.title);
      } catch (error) {
        page = `denied: ${(error as Error).name}`;
      }
      return { origin: self.origin, storage, page };
    });
    assert.equal(reach.origin, "null");
    assert.match(reach.storage, /^denied: SecurityError/);
    assert.match(reach.page, /^denied: SecurityError/);
  } finally {
    await context.close();
  }
});

/**
 * Holds the runner's client (`client-*.js`, which the page loads once it is usable) back until
 * the returned function is called: the runner's frame, opened as the page loads, then loads and
 * speaks before the client is there.
 */
async function holdRunnerClient(context: BrowserContext): Promise<() => void> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await context.route(/\/assets\/client-[\w-]+\.js$/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/**
 * Watches the runner frames the context's pages open: each one's address as it navigates (one
 * per frame: a frame opened again shows as a second), and when the first has loaded. Counted by
 * navigation, not by request: a request that a route fulfils has been seen to count twice.
 */
function watchRunnerFrames(context: BrowserContext): {
  opened: string[];
  firstLoaded: Promise<void>;
} {
  const opened: string[] = [];
  let loaded = () => {};
  const firstLoaded = new Promise<void>((resolve) => {
    loaded = resolve;
  });
  context.on("page", (page) =>
    page.on("framenavigated", (frame) => {
      if (new URL(frame.url()).pathname !== "/runner") return;
      opened.push(frame.url());
      void frame.waitForLoadState("load").then(loaded, loaded);
    }),
  );
  return { opened, firstLoaded };
}

for (const late of [false, true]) {
  const when = late ? ", even when its frame loaded before the page's runner client" : "";
  test(`a runner document served without its sandbox runs nothing: the page says why${when}`, async () => {
    // A deploy that lost its `_headers`: the runner's document would be on the page's own origin,
    // where a handler could read every edit token. The runner refuses to start there, and the page
    // closes the frame and opens no other.
    let release = () => {};
    let runners: ReturnType<typeof watchRunnerFrames> | undefined;
    const { context, page } = await openApp(browser, "/", async (context) => {
      runners = watchRunnerFrames(context);
      if (late) release = await holdRunnerClient(context);
      await context.route(/\/runner$/, async (route) => {
        const response = await route.fetch();
        const headers = { ...response.headers() };
        delete headers["content-security-policy"];
        await route.fulfill({ response, headers });
      });
    });
    try {
      if (late) {
        // The frame loaded (and its document was reachable) while the client was held back.
        await runners?.firstLoaded;
        release();
      }
      await chooseLanguage(page, "typescript");
      await writeCode(page, 'export default () => "ran on the page\'s origin";\n');
      assert.equal(await runInBrowser(page), "503");
      assert.match(
        (await page.getByTestId("body").textContent()) ?? "",
        /came without its sandbox.*ran nothing/,
      );
      await page
        .getByTestId("runtime-typescript")
        .getByText(/failed: .*without its sandbox/)
        .waitFor();
      assert.equal(await page.locator('iframe[title="fnpad runner"]').count(), 0);
      // Caught as it loaded, not after a silence: no frame was opened again.
      assert.equal(runners?.opened.length, 1, "the runner's frame was opened again");
      // The runner starts its language workers from `blob:` URLs (Monaco's own are the app's files).
      assert.deepEqual(
        page
          .workers()
          .map((worker) => worker.url())
          .filter((url) => url.startsWith("blob:")),
        [],
        "a language worker started on the page's origin",
      );
    } finally {
      release();
      await context.close();
    }
  });
}

test("the runner's client, loaded after the runner spoke, hears what it said: no frame is opened again", async () => {
  // The runner's frame opens as the page loads; its client comes once the page is usable. What
  // the runner says meanwhile (its first word, its progress) is kept for the client: were it
  // lost, the page would wait for a first word that never comes and open the frame again (10 s).
  let release = () => {};
  let runners: ReturnType<typeof watchRunnerFrames> | undefined;
  const { context, page } = await openApp(browser, "/", async (context) => {
    runners = watchRunnerFrames(context);
    release = await holdRunnerClient(context);
  });
  try {
    // The runner has started its language workers (and said so) while the client was held.
    const started = Date.now();
    while (!page.workers().some((worker) => worker.url().startsWith("blob:"))) {
      assert.ok(Date.now() - started < 30_000, "the runner started no language worker");
      await page.waitForTimeout(100);
    }
    await page.waitForTimeout(500);
    // Until the client has loaded, the page shows every runtime as starting.
    assert.equal(
      await page.getByTestId("runtime-typescript").getAttribute("class"),
      "runtime-status loading",
    );
    release();
    await page.getByTestId("runtime-typescript").getByText("ready").waitFor({ timeout: 8_000 });
    await chooseLanguage(page, "typescript");
    await writeCode(page, 'export default () => "heard";\n');
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("body").textContent(), "heard");
    assert.equal(runners?.opened.length, 1, "the runner's frame was opened again");
  } finally {
    release();
    await context.close();
  }
});

test("what a snippet leaves in its worker is gone when the page opens other code", async () => {
  const { context, page } = await openApp(browser);
  try {
    await chooseLanguage(page, "typescript");
    const leaver = await fetch(`${APP_URL}/api/snippets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        language: "typescript",
        code: 'export default () => { (self as any).leftBehind = "by the last snippet"; return "left"; };\n',
      }),
    });
    const { id } = (await leaver.json()) as { id: string };
    await page.goto(`${APP_URL}/s/${id}`);
    await page.waitForSelector('[data-editor="monaco"]');
    assert.equal(await runInBrowser(page), "200");

    await page.getByRole("button", { name: "New" }).click();
    await chooseLanguage(page, "typescript");
    await writeCode(page, "export default () => String((self as any).leftBehind);\n");
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("body").textContent(), "undefined");
  } finally {
    await context.close();
  }
});

test("every path under /fn, /fn itself included, is the Worker's: a JSON 404 with the endpoint's sandbox", async () => {
  // Served by the app's assets instead (the SPA's fallback), `/fn` was the app's page on the
  // endpoints' path, without the sandbox the endpoints' responses carry.
  for (const path of ["/fn", "/fn/"]) {
    const response = await fetch(`${APP_URL}${path}`);
    assert.equal(response.status, 404, path);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/, path);
    assert.match(response.headers.get("content-security-policy") ?? "", /sandbox/, path);
  }
});

test("the app's pages may be framed by the app only: another site cannot overlay them to trick clicks", async () => {
  for (const path of ["/", "/s/zzzz23456789"]) {
    const response = await fetch(`${APP_URL}${path}`);
    assert.equal(response.status, 200, path);
    assert.match(
      response.headers.get("content-security-policy") ?? "",
      /frame-ancestors 'self'/,
      path,
    );
  }
});

test("the page's CSP refuses eval: code that reached the page could not compile strings", async () => {
  const { context, page } = await openApp(browser);
  try {
    await page.waitForSelector('[data-editor="monaco"]');
    // Compiled by the page in a task of its own (code evaluated from DevTools, as Playwright's is,
    // is exempt from the page's CSP; a string timer and an inline script are not).
    const found = await page.evaluate(async () => {
      const seen: string[] = [];
      document.addEventListener("securitypolicyviolation", (event) =>
        seen.push(event.effectiveDirective),
      );
      const flags = window as { __fnpadTimer?: boolean; __fnpadInline?: boolean };
      (setTimeout as (code: string, ms: number) => number)("window.__fnpadTimer = true", 0);
      const script = document.createElement("script");
      script.textContent = "window.__fnpadInline = true";
      document.head.append(script);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { timer: !!flags.__fnpadTimer, inline: !!flags.__fnpadInline, seen: seen.sort() };
    });
    assert.deepEqual(found, {
      timer: false,
      inline: false,
      seen: ["script-src", "script-src-elem"],
    });
  } finally {
    await context.close();
  }
});
