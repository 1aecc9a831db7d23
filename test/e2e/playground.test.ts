import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { AutomationHook } from "../../web/src/automation.ts";
import { chooseLanguage, launchAppPage, openApp, runInBrowser, writeCode } from "./snippet-page.ts";

let browser: Browser;
let page: Page;

before(async () => {
  ({ browser, page } = await launchAppPage());
});

after(() => browser?.close());

/** Starts a run of a runaway handler, checks the page still answers, then clicks Stop. */
async function startThenStop() {
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page
    .getByRole("button", { name: "Stop" })
    .and(page.locator("[aria-disabled=false]"))
    .waitFor();
  // The page goes on rendering while the handler spins in its worker: the run's timer moves on.
  const timer = page.getByTestId("run-timer");
  const first = await timer.textContent();
  await page.waitForFunction(
    (shown) => document.querySelector('[data-testid="run-timer"]')?.textContent !== shown,
    first,
    { timeout: 2000 },
  );
  await page.getByRole("button", { name: "Stop" }).click();
}

const consoleLines = (stream: "stdout" | "stderr") =>
  page.locator(`[data-testid="console"] [data-stream="${stream}"]`).allTextContents();

describe("the playground", () => {
  test("runs handlers in workers on an opaque origin that is cross-origin isolated", async () => {
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    await chooseLanguage(page, "typescript");
    await writeCode(
      page,
      "export default () => ({ isolated: crossOriginIsolated, origin: self.origin });\n",
    );
    assert.equal(await runInBrowser(page), "200");
    const body = JSON.parse((await page.getByTestId("body").textContent()) ?? "");
    // Opaque ("null"): nothing the handler does reaches the page's origin. Isolated: Python
    // can be interrupted in place through a SharedArrayBuffer.
    assert.deepEqual(body, { isolated: true, origin: "null" });
  });

  test("runs a Python handler: status, JSON body, stdout and stderr", async () => {
    await chooseLanguage(page, "python");
    await writeCode(
      page,
      [
        "import sys",
        "def handler(request):",
        '    print("hello from python")',
        '    print("careful", file=sys.stderr)',
        '    return {"greeting": "hi " + request.query.get("name", "?"), "path": request.path}',
        "",
      ].join("\n"),
    );
    await page.getByLabel("Path").fill("/users/7");
    assert.equal(await runInBrowser(page), "200");
    const body = JSON.parse((await page.getByTestId("body").textContent()) ?? "");
    assert.deepEqual(body, { greeting: "hi fnpad", path: "/users/7" });
    assert.deepEqual(await consoleLines("stdout"), ["hello from python"]);
    assert.deepEqual(await consoleLines("stderr"), ["stderr careful"]);
  });

  test("shows a Python exception with its line in the user's code", async () => {
    await writeCode(
      page,
      ["def handler(request):", "    x = 1", "    return x / 0", ""].join("\n"),
    );
    assert.equal(await runInBrowser(page), "500");
    const exception = (await page.getByTestId("exception").textContent()) ?? "";
    assert.match(exception, /ZeroDivisionError/);
    assert.match(exception, /line 3/);
  });

  test("runs a TypeScript handler (Workers-style export) with a custom status", async () => {
    await chooseLanguage(page, "typescript");
    await writeCode(
      page,
      [
        "export default {",
        "  async fetch(req: Request): Promise<Response> {",
        '    console.log("hello from ts", new URL(req.url).searchParams.get("name"));',
        '    console.error("ts careful");',
        '    return new Response("made in ts", { status: 201, headers: { "x-made-by": "fnpad" } });',
        "  },",
        "};",
        "",
      ].join("\n"),
    );
    assert.equal(await runInBrowser(page), "201");
    assert.equal(await page.getByTestId("body").textContent(), "made in ts");
    assert.deepEqual(await consoleLines("stdout"), ["hello from ts fnpad"]);
    assert.deepEqual(await consoleLines("stderr"), ["stderr ts careful"]);
  });

  test("ends the timers a TypeScript run leaves behind with the run, as at the edge", async () => {
    await chooseLanguage(page, "typescript");
    const leaves =
      'export default () => {\n  setInterval(() => console.log("left behind"), 10);\n  return "first";\n};\n';
    await writeCode(page, leaves);
    assert.equal(await runInBrowser(page), "200");
    const waits =
      'export default async () => {\n  await new Promise((done) => setTimeout(done, 300));\n  console.log("second");\n  return "second";\n};\n';
    await writeCode(page, waits);
    assert.equal(await runInBrowser(page), "200");
    assert.deepEqual(await consoleLines("stdout"), ["second"]);
  });

  test("previews an HTML response in a sandboxed iframe (run with Ctrl+Enter in the editor)", async () => {
    await writeCode(
      page,
      [
        "export default function handler() {",
        '  return new Response("<h1>Hello preview</h1>", { headers: { "content-type": "text/html" } });',
        "}",
        "",
      ].join("\n"),
    );
    const runFromKeyboard = async () => {
      await page.locator(".monaco-host .view-lines").click();
      await page.keyboard.press("Control+Enter");
    };
    assert.equal(await runInBrowser(page, runFromKeyboard), "200");
    const frame = page.locator("iframe.preview");
    const sandbox = (await frame.getAttribute("sandbox")) ?? "";
    assert.equal(sandbox, "", "sandboxed with no exceptions: no scripts, no same origin");
    assert.equal(
      await page.frameLocator("iframe.preview").locator("h1").textContent(),
      "Hello preview",
    );
  });

  test("a response and prints shown beside code changed since their run say they are the earlier code's", async () => {
    const code = (word: string) =>
      `export default () => {\n  console.log("${word}");\n  return "${word}";\n};\n`;
    await writeCode(page, code("one"));
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("response-stale").count(), 0);
    assert.equal(await page.getByTestId("console-stale").count(), 0);
    await writeCode(page, code("two"));
    await page.getByTestId("response-stale").waitFor();
    await page.getByTestId("console-stale").waitFor();
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("body").textContent(), "two");
    assert.equal(await page.getByTestId("response-stale").count(), 0);
    assert.equal(await page.getByTestId("console-stale").count(), 0);
  });

  test("ends a TypeScript endless loop with a 503, then runs again", async () => {
    await writeCode(page, "export default function handler() {\n  while (true) {}\n}\n");
    assert.equal(await runInBrowser(page), "503");
    await writeCode(page, 'export default function handler() {\n  return "alive";\n}\n');
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("body").textContent(), "alive");
  });

  test("stops runaway TypeScript without loops (a regex) with Stop, then runs again", async () => {
    // Catastrophic backtracking in V8's native regex engine calls no tick, so only Stop ends it.
    await writeCode(
      page,
      'export default function handler() {\n  return String(/^(a+)+$/.test("a".repeat(40) + "b"));\n}\n',
    );
    assert.equal(await runInBrowser(page, startThenStop), "503");
    await page.getByTestId("stopped").waitFor();
    // The response says why once (it read "stopped: stopped by user").
    const { error } = JSON.parse((await page.getByTestId("body").textContent()) ?? "");
    assert.equal(error.message, "stopped: by the user");
    await writeCode(page, 'export default function handler() {\n  return "alive";\n}\n');
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("body").textContent(), "alive");
  });

  test("stops a runaway Python loop without reloading Python, then runs again", async () => {
    await chooseLanguage(page, "python");
    await page.getByTestId("runtime-python").getByText("ready").waitFor();
    await writeCode(
      page,
      "import sys\n\ndef handler(request):\n    sys.fnpad_spun = 'before the stop'\n    while True:\n        pass\n",
    );
    assert.equal(await runInBrowser(page, startThenStop), "503");
    await page.getByTestId("stopped").waitFor();
    // Interrupted in place (KeyboardInterrupt): the worker, and the loaded Python, survived.
    assert.equal(await page.getByTestId("runtime-python").getByText("ready").count(), 1);
    await writeCode(
      page,
      "import sys\n\ndef handler(request):\n    return getattr(sys, 'fnpad_spun', 'a new Python')\n",
    );
    assert.equal(await runInBrowser(page), "200");
    // The same interpreter: what the stopped run set is still there (a respawn would not have it).
    assert.equal(await page.getByTestId("body").textContent(), "before the stop");
  });

  test("stops a Python handler that awaits without reloading Python, then runs again", async () => {
    await chooseLanguage(page, "python");
    await page.getByTestId("runtime-python").getByText("ready").waitFor();
    const awaiting = [
      "import asyncio, sys",
      "",
      "async def handler(request):",
      "    sys.fnpad_awaited = getattr(sys, 'fnpad_awaited', 0) + 1",
      "    await asyncio.sleep(0.2 if request.path == '/quick' else 30)",
      "    return str(sys.fnpad_awaited)",
      "",
    ].join("\n");
    await writeCode(page, awaiting);
    assert.equal(await runInBrowser(page, startThenStop), "503");
    await page.getByTestId("stopped").waitFor();
    // Cancelled in place: no interrupt landed in the event loop, the worker was not replaced.
    assert.equal(await page.getByTestId("runtime-python").getByText("ready").count(), 1);
    await page.getByLabel("Path").fill("/quick");
    assert.equal(await runInBrowser(page), "200");
    // The same interpreter: the stopped run's count is still there.
    assert.equal(await page.getByTestId("body").textContent(), "2");
    await page.getByLabel("Path").fill("/");
  });

  test("replaces a Python that a handler crashed, and the next run answers", async () => {
    await chooseLanguage(page, "python");
    await page.getByTestId("runtime-python").getByText("ready").waitFor();
    const crashing = [
      "def handler(request):",
      '    if request.path == "/crash":',
      "        # Nested past the compiler's stack: a fatal error for this Python.",
      '        return eval("1+" * 200_000 + "1")',
      '    return "alive"',
      "",
    ].join("\n");
    await writeCode(page, crashing);
    await page.getByLabel("Path").fill("/crash");
    assert.equal(await runInBrowser(page), "500");
    assert.match((await page.getByTestId("body").textContent()) ?? "", /Python crashed/);
    await page.getByLabel("Path").fill("/");
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("body").textContent(), "alive");
  });

  test("a Python handler that allocates until it dies: its MemoryError, then a fresh Python", async () => {
    await chooseLanguage(page, "python");
    await page.getByTestId("runtime-python").getByText("ready").waitFor();
    const hungry = [
      "import sys",
      "",
      "def handler(request):",
      "    seen = getattr(sys, 'fnpad_mark', 'fresh')",
      "    sys.fnpad_mark = 'used'",
      '    if request.path == "/hungry":',
      "        held = []",
      "        while True:",
      "            held.append(bytearray(4 * 10**8))",
      '    if request.path == "/held":',
      "        held = bytearray(600 * 2**20)",
      "        while True:",
      "            pass",
      "    return seen",
      "",
    ].join("\n");
    await writeCode(page, hungry);
    assert.equal(await runInBrowser(page), "200");
    await page.getByLabel("Path").fill("/hungry");
    // Python's MemoryError, or, on a machine slow to fill gigabytes, the 5 s budget's stop (its
    // 400 MB blocks pass the 512 MB Python is dropped at by the second, well within the budget).
    const status = await runInBrowser(page);
    const body = (await page.getByTestId("body").textContent()) ?? "";
    if (status === "500") assert.match(body, /MemoryError/);
    else assert.match(`${status} ${body}`, /^503 .*stopped: time budget exceeded/s);
    // Wasm memory never shrinks: the worker holding gigabytes was replaced, Python is fresh.
    await page.getByLabel("Path").fill("/");
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("body").textContent(), "fresh");
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("body").textContent(), "used");
    // Stopped by its budget while it holds 600 MB: replaced as well.
    await page.getByLabel("Path").fill("/held");
    assert.equal(await runInBrowser(page), "503");
    await page.getByLabel("Path").fill("/");
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("body").textContent(), "fresh");
  });

  test("a runner that stops answering (its process gone) ends the run and is replaced", async () => {
    // A handler that allocates until it dies takes the runner's process down (not the page's:
    // the runner is a frame of its own). Playwright counts any frame's crash as the page's, so
    // the runner is made silent the way a crash leaves it: its thread paused in the debugger.
    await chooseLanguage(page, "typescript");
    await page.getByTestId("runtime-typescript").getByText("ready").waitFor();
    await writeCode(
      page,
      'export default async () => {\n  await new Promise((r) => setTimeout(r, 4000));\n  return "late";\n};\n',
    );
    const runnerFrame = page.frames().find((frame) => new URL(frame.url()).pathname === "/runner");
    assert.ok(runnerFrame, "no runner frame");
    // Sandboxed, it lives in a process of its own, which a CDP session can pause.
    const runnerThread = await page.context().newCDPSession(runnerFrame);
    await runnerThread.send("Debugger.enable");
    const status = await runInBrowser(page, async () => {
      await page.getByRole("button", { name: "Run", exact: true }).click();
      await runnerThread.send("Debugger.pause");
    });
    assert.equal(status, "503");
    assert.match(
      (await page.getByTestId("body").textContent()) ?? "",
      /runner stopped answering.*out of memory/,
    );
    await runnerThread.detach().catch(() => {});
    await writeCode(page, 'export default () => "alive";\n');
    assert.equal(await runInBrowser(page), "200");
    assert.equal(await page.getByTestId("body").textContent(), "alive");
  });

  test("keeps code written the moment after switching language (before the next frame)", async () => {
    await chooseLanguage(page, "typescript");
    const kept = await page.evaluate(async () => {
      const hook = (window as { fnpad?: AutomationHook }).fnpad;
      const radio = [...document.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find(
        (input) => input.labels?.[0]?.textContent?.includes("Python"),
      );
      radio?.click();
      // The switch has rendered (a microtask) but its effects wait for the next frame.
      await new Promise((resolve) => setTimeout(resolve, 0));
      hook?.setCode('def handler(request):\n    return "written_at_once"\n');
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
      return hook?.code() ?? "";
    });
    assert.match(kept, /written_at_once/);
  });

  test("keeps the code across a reload", async () => {
    await writeCode(page, 'def handler(request):\n    return "kept_across_reload"\n');
    await page.reload();
    await page.waitForSelector('[data-editor="monaco"]');
    await page.getByText("kept_across_reload").waitFor();
  });
});

describe("the runner's document", () => {
  test("has the runner's and the workers' modules in it: the runner asks for none of them", async () => {
    const asked: string[] = [];
    const { context, page: fresh } = await openApp(browser, "/", async (context) => {
      context.on("request", (request) => {
        // The service worker's requests (it fetches the build once Python is ready) have no frame.
        if (request.serviceWorker() || request.resourceType() !== "fetch") return;
        // The page's own fetches (the API, Python's files) are not the runner's business.
        if (request.frame().parentFrame()) asked.push(request.url());
      });
    });
    await chooseLanguage(fresh, "python");
    await writeCode(fresh, 'def handler(request):\n    return "from_inline_modules"\n');
    assert.equal(await runInBrowser(fresh), "200");
    assert.equal(await fresh.getByTestId("body").textContent(), "from_inline_modules");
    assert.deepEqual(asked, [], "the runner fetched modules it should have had");
    await context.close();
  });
});

describe("a runner frame lost on the way", () => {
  test("is opened again: a run and a syntax check made meanwhile still answer", async () => {
    // The first request for the runner's document is never answered, as when a flaky network or
    // a restarting server drops it; later ones go through.
    let held = 0;
    const { context, page: lost } = await openApp(browser, "/", (context) =>
      context.route(/\/runner$/, (route) => {
        if (held++ === 0) return;
        return route.continue();
      }),
    );
    await chooseLanguage(lost, "typescript");
    await writeCode(lost, 'export default function handler() {\n  return "reached";\n}\n');
    assert.equal(await runInBrowser(lost), "200");
    assert.equal(await lost.getByTestId("body").textContent(), "reached");
    assert.equal(held, 2, "the runner's document was asked for again");

    await chooseLanguage(lost, "python");
    await writeCode(lost, "def handler(request)\n    return 1\n");
    await lost.locator('[data-testid="problems"][data-count="1"]').waitFor();
    await context.close();
  });
});
