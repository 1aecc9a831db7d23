import { launchChromium } from "./test/e2e/chromium.ts";
import { startAppServer } from "./tools/app-server.ts";
const server = await startAppServer();
const browser = await launchChromium();
try {
  const res = await fetch(`${server.url}/api/snippets`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ language: "python", title: "Hello from the conference room", code: 'def handler(request):\n    return {"hello": request.args.get("name", "world")}\n' }) });
  const created = await res.json() as any;
  for (const [w, h, scheme] of [[390, 844, "dark"], [390, 844, "light"]] as const) {
    const context = await browser.newContext({ viewport: { width: w, height: h }, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(`${server.url}/s/${created.id}`);
    await page.waitForSelector('[data-editor="monaco"]');
    await page.getByTestId("runtime-python").getByText("ready").waitFor({ timeout: 60000 }).catch(() => {});
    await page.screenshot({ path: `/tmp/shots/top-${w}-${scheme}.png` });
    // Keyboard: Tab through the toolbar, listing what gets focus.
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      seen.push(await page.evaluate(() => { const e = document.activeElement as HTMLElement; return `${e.tagName}:${(e.getAttribute("aria-label") ?? e.textContent ?? "").trim().slice(0, 20)}`; }));
    }
    console.log(w, scheme, seen.join(" | "));
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
