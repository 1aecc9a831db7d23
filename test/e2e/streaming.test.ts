/**
 * Streamed responses as a person and a client meet them: in Chromium the response panel shows
 * the first chunk well before the last (with "streaming…" meanwhile, the size once done); at the
 * endpoint, served by `npm run dev` through its runner processes, the first bytes arrive well
 * before the last, and a stream that never ends is cut at the deadline with a broken-off body.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { createSnippet } from "./runaways.ts";
import { APP_URL, chooseLanguage, launchAppPage, runInBrowser, writeCode } from "./snippet-page.ts";

const STREAMS = {
  typescript: `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export default function handler() {
  const encoder = new TextEncoder();
  return new Response(new ReadableStream({
    async start(c) {
      for (let i = 1; i <= 4; i++) {
        c.enqueue(encoder.encode("data: chunk " + i + "\\n\\n"));
        if (i < 4) await sleep(600);
      }
      c.close();
    },
  }), { headers: { "content-type": "text/event-stream" } });
}
`,
  python: `import asyncio

async def handler(request):
    async def events():
        for i in range(1, 5):
            yield f"data: chunk {i}\\n\\n"
            if i < 4:
                await asyncio.sleep(0.3)
    return events()
`,
} as const;

let browser: Browser;
let page: Page;

before(async () => {
  ({ browser, page } = await launchAppPage());
});

after(() => browser?.close());

/** Notes, in the page, when the response body first showed each text and whether "streaming…" did. */
async function watchResponsePanel(): Promise<void> {
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    const state = { seen, streaming: false };
    (window as unknown as { streamWatch: typeof state }).streamWatch = state;
    const panel = document.querySelector("section.response");
    if (!panel) throw new Error("no response panel");
    new MutationObserver(() => {
      if (panel.querySelector('[data-testid="streaming"]')) state.streaming = true;
      // Until this run streams, the panel may still show the previous run's body.
      if (!state.streaming) return;
      const text = panel.querySelector('[data-testid="body"]')?.textContent ?? "";
      for (const chunk of ["chunk 1", "chunk 4"]) {
        if (text.includes(chunk) && !(chunk in seen)) seen[chunk] = performance.now();
      }
    }).observe(panel, { subtree: true, childList: true, characterData: true });
  });
}

describe("streamed responses", () => {
  for (const language of ["typescript", "python"] as const) {
    test(`${language}: the browser shows the first chunk well before the last`, async () => {
      await page.getByRole("button", { name: "New", exact: true }).click();
      await chooseLanguage(page, language);
      await writeCode(page, STREAMS[language]);
      await watchResponsePanel();
      await runInBrowser(page);
      const watch = await page.evaluate(
        () =>
          (
            window as unknown as {
              streamWatch: { seen: Record<string, number>; streaming: boolean };
            }
          ).streamWatch,
      );
      const first = watch.seen["chunk 1"];
      const last = watch.seen["chunk 4"];
      const shown = async (id: string) => (await page.getByTestId(id).textContent()) ?? "";
      assert.ok(
        first !== undefined && last !== undefined,
        `${JSON.stringify(watch)}: status ${await shown("status")}, body ${await shown("body")}`,
      );
      assert.ok(last - first >= 500, `first ${first}, last ${last}`);
      assert.equal(watch.streaming, true, "the panel said streaming… while it streamed");
      assert.equal(await page.getByTestId("status").textContent(), "200");
      assert.match((await page.getByTestId("streamed").textContent()) ?? "", /streamed 60 B/);
    });
  }

  const ENDLESS = {
    typescript: `export default () => new Response(new ReadableStream({
  async pull(c) { await new Promise((r) => setTimeout(r, 250)); c.enqueue(new TextEncoder().encode("data: tick\\n\\n")); },
}), { headers: { "content-type": "text/event-stream" } });
`,
    python: `import asyncio

async def handler(request):
    async def ticks():
        while True:
            yield "data: tick\\n\\n"
            await asyncio.sleep(0.25)
    return ticks()
`,
  } as const;

  for (const language of ["typescript", "python"] as const) {
    test(`${language}: a stream cut by the browser's 5 s budget keeps its chunks on screen, with why`, async () => {
      await page.getByRole("button", { name: "New", exact: true }).click();
      await chooseLanguage(page, language);
      await writeCode(page, ENDLESS[language]);
      // The chunks shown while it streamed stay after the cut, under the status already sent.
      assert.equal(await runInBrowser(page), "200");
      const body = (await page.getByTestId("body").textContent()) ?? "";
      assert.match(body, /^(data: tick\n\n){3,}$/, body);
      const note = (await page.getByTestId("stream-cut").textContent()) ?? "";
      assert.match(note, /Stream cut after \d+ B: stopped: time budget exceeded/, note);
      assert.match(note, /ended with 503/);
      assert.equal(await page.getByTestId("streamed").count(), 0);
    });
  }

  for (const language of ["typescript", "python"] as const) {
    test(`${language}: the endpoint sends the first bytes well before the last`, async () => {
      const id = await createSnippet(APP_URL, language, STREAMS[language]);
      const started = performance.now();
      const response = await fetch(`${APP_URL}/fn/${id}`);
      assert.equal(response.status, 200);
      const reader = response.body?.getReader();
      assert.ok(reader);
      const arrivals: number[] = [];
      let text = "";
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        arrivals.push(performance.now() - started);
        text += decoder.decode(value, { stream: true });
      }
      assert.equal(text, [1, 2, 3, 4].map((i) => `data: chunk ${i}\n\n`).join(""));
      const first = arrivals[0] ?? 0;
      const last = arrivals.at(-1) ?? 0;
      assert.ok(last - first >= 500, `arrivals ${arrivals.map(Math.round).join(", ")}`);
    });
  }

  test("a stream that never ends is cut at the runner relay's deadline", async () => {
    const code = `export default () => new Response(new ReadableStream({
  async pull(c) { await new Promise((r) => setTimeout(r, 200)); c.enqueue(new TextEncoder().encode(".")); },
}));
`;
    const id = await createSnippet(APP_URL, "typescript", code);
    const started = performance.now();
    const response = await fetch(`${APP_URL}/fn/${id}`);
    const reader = response.body?.getReader();
    assert.ok(reader);
    let bytes = 0;
    let failed: unknown = null;
    for (;;) {
      try {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
      } catch (error) {
        failed = error;
        break;
      }
    }
    const elapsed = performance.now() - started;
    assert.ok(failed, "the body broke off rather than ending as if complete");
    assert.ok(bytes > 1, `${bytes} bytes arrived before the cut`);
    assert.ok(elapsed < 20_000, `cut after ${Math.round(elapsed)} ms`);
  });
});
