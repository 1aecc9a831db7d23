// Browser benchmark: headless Chromium on the local production build (served by `wrangler dev`).
// Prints: stock Pyodide's first result (the baseline, measured in the same run), page open → first
// Python result on a cold cache and on a second visit (service worker cache) as ratios of it, the
// bytes on the wire for each, page open → first TS result, warm run latency p50/p95 per language,
// and the JS (gzip) a page fetches before it is usable.
// Usage: node bench/browser.ts [--no-build]
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { launchProfile } from "../test/e2e/chromium.ts";
import { buildApp, startAppServer } from "../tools/app-server.ts";
import type { AutomationHook } from "../web/src/automation.ts";
import { countWire, emulateLink, stockPyodide } from "./browser-baseline.ts";

const WARM_RUNS = 200;
/**
 * Runs made before the measured ones. A handler's first runs are slower while V8 recompiles the
 * hot parts of Pyodide's wasm (optimised, on background threads); the figures are the steady
 * state after that, with the warm-up runs' p50 printed beside them.
 */
const WARM_UP_RUNS = 200;

const TRIVIAL: Record<"Python" | "TypeScript", string> = {
  Python: 'def handler(request):\n    return "ok"\n',
  TypeScript: 'export default function handler() {\n  return "ok";\n}\n',
};

/** The slower link the cold cache is measured over too (Mbit/s), beside loopback. */
const SLOW_LINK_MBIT = 20;

/** How many second visits are measured (the median is printed): one is at the mercy of the noise. */
const SECOND_VISITS = 5;
/** How many cold starts of each, stock Pyodide and fnpad, taken in turns (medians compared). */
const COLD_STARTS = 3;

/**
 * Opens the app and runs the starter handler of `language`, clicking Run as soon as it can.
 * `page` is ms from navigation start to the result shown, by the page's own clock, as the
 * baseline is measured (the page needs `markPythonReady`); `wall` is the harness's from `goto` to
 * reading the shown status, which adds Playwright's round trips (~0.3 s here).
 */
async function firstResult(page: Page, url: string, language: "Python" | "TypeScript") {
  const started = performance.now();
  await page.goto(url);
  await page.getByRole("radio", { name: language }).check();
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.waitForSelector('section.response[data-finished="1"]', { timeout: 120_000 });
  const status = await page.getByTestId("status").textContent();
  if (status !== "200") throw new Error(`first ${language} run answered ${status}`);
  const wall = performance.now() - started;
  const shown = await page.evaluate(
    () => performance.getEntriesByName("fnpad:result")[0]?.startTime ?? Number.NaN,
  );
  return { page: shown, wall, started };
}

/**
 * Notes (as marks) when the page first shows Python as ready (`fnpad:python-ready`), when Monaco
 * replaced the plain text area (`fnpad:monaco`), when Run was first clicked (`fnpad:run`) and when
 * the first result was shown (`fnpad:result`).
 */
function markPythonReady() {
  const once = (name: string) => {
    if (performance.getEntriesByName(name).length === 0) performance.mark(name);
  };
  const observer = new MutationObserver(() => {
    if (document.querySelector('[data-testid="runtime-python"].ready')) once("fnpad:python-ready");
    if (document.querySelector('[data-editor="monaco"]')) once("fnpad:monaco");
    if (document.querySelector('section.response[data-finished="1"]')) once("fnpad:result");
  });
  addEventListener("DOMContentLoaded", () =>
    observer.observe(document.body, { subtree: true, attributes: true, childList: true }),
  );
  addEventListener(
    "click",
    (event) => {
      if ((event.target as Element | null)?.textContent === "Run") once("fnpad:run");
    },
    { capture: true },
  );
}

/**
 * Where the first Python result's time went, in ms since navigation start: when the Python worker
 * started, when each Pyodide file had arrived (the wasm is compiled while it streams in), and
 * when the page showed Python as ready. Read after `firstResult`, on a page set up with
 * `markPythonReady`.
 */
async function pythonStartup(page: Page) {
  const ready = await page.evaluate(() => {
    const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN;
    return {
      origin: performance.timeOrigin,
      ready: at("fnpad:python-ready"),
      monaco: at("fnpad:monaco"),
      run: at("fnpad:run"),
      result: at("fnpad:result"),
    };
  });
  for (const worker of page.workers()) {
    const seen = await worker.evaluate(() => ({
      name: self.name,
      origin: performance.timeOrigin,
      marks: performance
        .getEntriesByType("mark")
        .map((mark) => `${mark.name.replace("fnpad:python-", "")} ${mark.startTime}`),
      files: performance
        .getEntriesByType("resource")
        .map(
          (entry) =>
            [
              entry.name.split("/").pop() ?? "",
              (entry as PerformanceResourceTiming).responseEnd,
            ] as const,
        ),
    }));
    if (seen.name !== "python") continue;
    const since = seen.origin - ready.origin;
    const files = seen.files.map(([name, end]) => `${name} ${ms(since + end)}`).join(", ");
    const marks = seen.marks
      .map((mark) => mark.split(" "))
      .map(([name, at]) => `${name} ${ms(since + Number(at))}`)
      .join(", ");
    return `worker started ${ms(since)}; files in: ${files || "from the page"}; ${marks}; Python ready ${ms(ready.ready)}; page: Monaco ${ms(ready.monaco)}, Run clicked ${ms(ready.run)}, result shown ${ms(ready.result)}`;
  }
  return "no Python worker found";
}

/**
 * Round trips of Run → worker → rendered result, measured inside the page; plus the handler's own
 * duration inside the worker as the page shows it (what is left once thread hops are taken out).
 */
async function warmLatencies(page: Page, language: "Python" | "TypeScript") {
  await page.getByRole("radio", { name: language }).check();
  await page.evaluate(
    (code) => (window as { fnpad?: AutomationHook }).fnpad?.setCode(code),
    TRIVIAL[language],
  );
  return page.evaluate(async (runs) => {
    const section = document.querySelector<HTMLElement>("section.response");
    const button = [...document.querySelectorAll("button")].find((b) => b.textContent === "Run");
    if (!section || !button) throw new Error("page not ready");
    const finished = () => Number(section.dataset.finished);
    const times: number[] = [];
    const inWorker: number[] = [];
    const shownDuration = () => {
      const [value = "", unit] = document.querySelector(".duration")?.textContent?.split(" ") ?? [];
      return Number.parseFloat(value) * (unit === "s" ? 1000 : 1);
    };
    for (let i = 0; i < runs; i++) {
      const before = finished();
      const started = performance.now();
      const done = new Promise<void>((resolve) => {
        const observer = new MutationObserver(() => {
          if (finished() > before) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(section, { attributes: true });
      });
      button.click();
      await done;
      times.push(performance.now() - started);
      inWorker.push(shownDuration());
    }
    return { times, inWorker };
  }, WARM_UP_RUNS + WARM_RUNS);
}

/** JS the main thread fetched before the page became usable (the `fnpad:usable` mark), gzipped. */
async function jsBeforeUsable(page: Page, url: string) {
  await page.goto(url);
  await page.waitForSelector("[data-editor]");
  const urls = await page.evaluate(() => {
    const usable = performance.getEntriesByName("fnpad:usable")[0]?.startTime ?? Infinity;
    return (
      performance
        .getEntriesByType("resource")
        // Scripts the page runs: Pyodide's glue is fetched as data for the runner (as its wasm is).
        .filter(
          (entry) =>
            entry.startTime <= usable &&
            /\.m?js(\?|$)/.test(entry.name) &&
            (entry as PerformanceResourceTiming).initiatorType !== "fetch",
        )
        .map((entry) => entry.name)
    );
  });
  let raw = 0;
  let gzip = 0;
  for (const scriptUrl of urls) {
    const bytes = new Uint8Array(await (await fetch(scriptUrl)).arrayBuffer());
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: urls.length, raw, gzip };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}×`;

/** Waits until the service worker has cached the build and controls the page. */
async function offlineCopyReady(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 100));
  });
}

/** fnpad's first Python result in a new browser profile (empty caches); its context stays open. */
async function coldStart(url: string) {
  const context = await launchProfile();
  await context.addInitScript(markPythonReady);
  const wire = countWire(context);
  const page = await context.newPage();
  const result = await firstResult(page, url, "Python");
  // What had crossed the wire when the result showed (navigation starts just after `started`):
  // the service worker, which registers once Python is ready, then fetches the build again.
  const shown = result.started + result.page;
  const encodings = ["pyodide.asm.wasm.gz", "python-snapshot.bin.gz", "app-"].map(
    (name) => `${name} ${wire.encodingOf(name) || "none"}`,
  );
  return {
    context,
    page,
    wire,
    result,
    bytes: wire.bytes(shown),
    largest: wire.largest(shown),
    startup: await pythonStartup(page),
    encodings,
  };
}

function median<T>(values: T[], key: (value: T) => number): T {
  const sorted = [...values].sort((a, b) => key(a) - key(b));
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error("nothing measured");
  return middle;
}

async function main(url: string) {
  // Each measurement has a browser to itself (a page left open would go on loading Python), with
  // a regular profile of its own: Playwright's usual contexts are incognito, where Chromium keeps
  // no code cache, which a returning visitor's browser has.
  // Cold starts in turns, stock then fnpad, so that the machine's swings hit both alike; the
  // last fnpad profile goes on to the second visits.
  const stocks: Awaited<ReturnType<typeof stockPyodide>>[] = [];
  const colds: Awaited<ReturnType<typeof coldStart>>[] = [];
  for (let start = 0; start < COLD_STARTS; start++) {
    stocks.push(await stockPyodide(url));
    const cold = await coldStart(url);
    colds.push(cold);
    if (start < COLD_STARTS - 1) await cold.context.close();
  }
  const stock = median(stocks, (run) => run.ms);
  const coldMedian = median(colds, (run) => run.result.page);
  const pythonCold = coldMedian.result;
  const { bytes: coldBytes, largest: coldLargest, startup: coldStartup, encodings } = coldMedian;
  const last = colds.at(-1);
  if (!last) throw new Error("no cold start measured");
  const { context: cold, page: coldPage, wire } = last;
  await offlineCopyReady(coldPage);
  await coldPage.close();
  // Second visits: new pages in the same browser profile (service worker cache, wasm code cache).
  const secondStarted = wire.bytes();
  const secondVisits: { page: number; wall: number; startup: string }[] = [];
  // The last visit's page stays open for the warm runs.
  let warmPage = await cold.newPage();
  for (let visit = 0; visit < SECOND_VISITS; visit++) {
    if (visit > 0) {
      await warmPage.close();
      warmPage = await cold.newPage();
    }
    const result = await firstResult(warmPage, url, "Python");
    secondVisits.push({ ...result, startup: await pythonStartup(warmPage) });
  }
  const secondBytes = (wire.bytes(performance.now()) - secondStarted) / SECOND_VISITS;
  // Listed in order when printed.
  secondVisits.sort((a, b) => a.page - b.page);
  const pythonSecondVisit = median(secondVisits, (visit) => visit.page);
  // The same cold start over a slower link, where bytes cost what they cost on a real network.
  const slowStock = await stockPyodide(url, SLOW_LINK_MBIT);
  const slowContext = await launchProfile();
  await slowContext.addInitScript(markPythonReady);
  const slowPage = await slowContext.newPage();
  await emulateLink(slowPage, SLOW_LINK_MBIT);
  const pythonSlow = await firstResult(slowPage, url, "Python");
  await slowContext.close();
  const tsContext = await launchProfile();
  await tsContext.addInitScript(markPythonReady);
  const tsFirst = await firstResult(await tsContext.newPage(), url, "TypeScript");
  await tsContext.close();
  const jsContext = await launchProfile();
  const js = await jsBeforeUsable(await jsContext.newPage(), url);
  await jsContext.close();
  const latencies = {
    TypeScript: await warmLatencies(warmPage, "TypeScript"),
    Python: await warmLatencies(warmPage, "Python"),
  };
  await cold.close();

  console.log(
    "fnpad browser benchmark (headless Chromium, a fresh regular profile per measurement, local production build under wrangler dev)",
  );
  console.log(
    `  baseline: stock Pyodide, cold cache   ${ms(stock.ms)}   (loadPyodide() + runPython, ${mb(stock.bytes)} on the wire; median of ${COLD_STARTS}: ${stocks.map((run) => ms(run.ms)).join(", ")})`,
  );
  console.log(
    `  first Python result, cold cache       ${ms(pythonCold.page)}   ${ratio(pythonCold.page, stock.ms)} the baseline (target ≤ 0.5×), ${mb(coldBytes)} on the wire   (median of ${COLD_STARTS}: ${colds.map((run) => ms(run.result.page)).join(", ")}; harness: ${ms(pythonCold.wall)})`,
  );
  console.log(`    (${coldStartup})`);
  console.log(`    (content encoding on the wire: ${encodings.join(", ")})`);
  console.log(`    (largest on the wire: ${coldLargest.join(", ")})`);
  console.log(
    `  first Python result, second visit     ${ms(pythonSecondVisit.page)}   ${ratio(pythonSecondVisit.page, stock.ms)} the baseline (target ≤ 0.3× and ≤ 1000 ms), ${mb(secondBytes)} on the wire   (median of ${SECOND_VISITS}: ${secondVisits.map((visit) => ms(visit.page)).join(", ")}; harness: ${ms(pythonSecondVisit.wall)})`,
  );
  console.log(`    (${pythonSecondVisit.startup})`);
  console.log(
    `  over an emulated ${SLOW_LINK_MBIT} Mbit/s link (40 ms RTT), cold: stock Pyodide ${ms(slowStock.ms)}, fnpad's first Python result ${ms(pythonSlow.page)}   ${ratio(pythonSlow.page, slowStock.ms)}`,
  );
  console.log(
    `  first TypeScript result, cold cache   ${ms(tsFirst.page)}   (harness: ${ms(tsFirst.wall)})`,
  );
  for (const [language, { times, inWorker }] of Object.entries(latencies)) {
    const target = language === "Python" ? 10 : 5;
    const measured = times.slice(WARM_UP_RUNS);
    console.log(
      `  warm run ${language.padEnd(10)} p50 ${ms(percentile(measured, 50))}  p95 ${ms(percentile(measured, 95))}` +
        `   (${measured.length} runs; target p50 ≤ ${target} ms)` +
        `   in the worker p50 ${ms(percentile(inWorker.slice(WARM_UP_RUNS), 50))}` +
        `   (first ${WARM_UP_RUNS} runs p50 ${ms(percentile(times.slice(0, WARM_UP_RUNS), 50))})`,
    );
  }
  console.log(
    `  JS before the page is usable          ${kb(js.gzip)} gzip, ${kb(js.raw)} raw, ${js.files} files   (target: no more than the 18.6 KB gzip of the first playground)`,
  );
}

if (!process.argv.includes("--no-build")) await buildApp();
const server = await startAppServer();
try {
  await main(server.url);
} finally {
  await server.stop();
}
