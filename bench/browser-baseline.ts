/**
 * The browser benchmark's baseline and wire counts: stock Pyodide (`loadPyodide()` from the
 * files the same server serves, then one `runPython`) in the same Chromium, on a cold cache; and
 * the bytes a page moves over the wire.
 */
import { readFileSync } from "node:fs";
import type { BrowserContext, Page, Request } from "playwright-core";
import { launchProfile } from "../test/e2e/chromium.ts";
import { ROOT } from "../tools/processes.ts";

/** The same lock file the app gives Pyodide: no packages (none are served). */
const LOCK_FILE = JSON.stringify({
  info: (
    JSON.parse(readFileSync(`${ROOT}node_modules/pyodide/pyodide-lock.json`, "utf8")) as {
      info: unknown;
    }
  ).info,
  packages: {},
});

/** A page that loads stock Pyodide from the app's `/pyodide/` and runs one line of Python. */
function baselinePage(): string {
  return `<!doctype html><meta charset="utf-8"><title>stock Pyodide</title>
<script type="module">
const { loadPyodide } = await import("/pyodide/pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: "/pyodide/", lockFileContents: ${JSON.stringify(LOCK_FILE)} });
const answer = pyodide.runPython("1 + 1");
document.title = "done " + answer + " " + performance.now();
</script>`;
}

/** Counts what a context's requests moved over the wire (bodies as sent, headers), by URL. */
export function countWire(context: BrowserContext) {
  const finished: { url: string; bytes: number; encoding: string; at: number }[] = [];
  const onFinished = async (request: Request) => {
    const at = performance.now();
    const sizes = await request.sizes().catch(() => null);
    const response = await request.response().catch(() => null);
    if (!sizes || !response) return;
    const encoding = (await response.headerValue("content-encoding").catch(() => null)) ?? "";
    // What the service worker answered never crossed the wire.
    const bytes = response.fromServiceWorker()
      ? 0
      : Math.max(0, sizes.responseBodySize) + Math.max(0, sizes.responseHeadersSize);
    finished.push({ url: request.url(), bytes, encoding, at });
  };
  context.on("requestfinished", (request) => void onFinished(request));
  return {
    /** Bytes of the requests that finished by `until` (a `performance.now()` of this process). */
    bytes(until = Number.POSITIVE_INFINITY) {
      return finished.filter((entry) => entry.at <= until).reduce((sum, e) => sum + e.bytes, 0);
    },
    /** The requests finished by `until` that moved the most bytes, largest first: "name bytes × count". */
    largest(until = Number.POSITIVE_INFINITY, count = 6) {
      const byName = new Map<string, { bytes: number; requests: number }>();
      for (const entry of finished.filter((e) => e.at <= until && e.bytes > 0)) {
        const name = new URL(entry.url).pathname.split("/").pop() || "/";
        const seen = byName.get(name) ?? { bytes: 0, requests: 0 };
        byName.set(name, { bytes: seen.bytes + entry.bytes, requests: seen.requests + 1 });
      }
      return [...byName.entries()]
        .sort(([, a], [, b]) => b.bytes - a.bytes)
        .slice(0, count)
        .map(
          ([name, { bytes, requests }]) => `${name} ${(bytes / 1e6).toFixed(2)} MB × ${requests}`,
        );
    },
    /** The content encoding each file with `name` in its URL came with ("" for none). */
    encodingOf(name: string) {
      return finished.find((entry) => entry.url.includes(name))?.encoding ?? "not fetched";
    },
  };
}

/** A link slower than loopback: `mbit` Mbit/s down, 40 ms round trips (Chromium's network emulation). */
export async function emulateLink(page: Page, mbit: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 40,
    downloadThroughput: (mbit * 1e6) / 8,
    uploadThroughput: 1.25e6,
  });
}

/**
 * Stock Pyodide's first result on a cold cache: ms from navigation start, and the bytes moved;
 * over an emulated link of `mbit` Mbit/s when given.
 */
export async function stockPyodide(appUrl: string, mbit?: number) {
  const context = await launchProfile();
  try {
    const wire = countWire(context);
    // The page itself is made here; everything it loads comes from the app's server.
    await context.route(`${appUrl}/bench-stock-pyodide`, (route) =>
      route.fulfill({ contentType: "text/html", body: baselinePage() }),
    );
    const page = await context.newPage();
    if (mbit) await emulateLink(page, mbit);
    await page.goto(`${appUrl}/bench-stock-pyodide`);
    await page.waitForFunction(() => document.title.startsWith("done"), undefined, {
      timeout: 120_000,
    });
    const [, answer, ms] = (await page.title()).split(" ");
    if (answer !== "2") throw new Error(`stock Pyodide answered ${answer}`);
    return { ms: Number(ms), bytes: wire.bytes() };
  } finally {
    await context.close();
  }
}
