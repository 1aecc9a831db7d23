import { launchChromium } from "./test/e2e/chromium.ts";
import { startAppServer } from "./test/e2e/app-server.ts";
const server = await startAppServer();
const browser = await launchChromium();
const code = `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export default function handler(req: Request) {
  const enc = new TextEncoder();
  return new Response(new ReadableStream({
    async start(c) {
      for (let i = 1; i <= 20; i++) { c.enqueue(enc.encode("data: tick " + i + "\\n\\n")); await sleep(300); }
      c.close();
    },
  }), { headers: { "content-type": "text/event-stream" } });
}
`;
try {
  for (const [w, h, scheme] of [[1280, 720, "light"], [1280, 720, "dark"], [390, 844, "dark"]] as const) {
    const context = await browser.newContext({ viewport: { width: w, height: h }, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('[data-editor="monaco"]');
    await page.getByRole("radio", { name: "TypeScript" }).check();
    await page.locator('.monaco-host[data-mode-id="typescript"]').waitFor();
    await page.evaluate((t) => (window as any).fnpad.setCode(t), code);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL(/\/s\//);
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await page.waitForTimeout(1800);
    await page.screenshot({ path: `/tmp/shots/stream-${w}-${scheme}.png` });
    await page.waitForTimeout(5000);
    const limits = page.getByText("Limits", { exact: true }).first();
    if (await limits.count()) { await limits.click(); await page.waitForTimeout(500); }
    await page.screenshot({ path: `/tmp/shots/limits-${w}-${scheme}.png` });
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
