/** The owner's rate-limit control: set in the page, felt by callers, never by the owner's own Run at edge. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { RATE_LIMITS } from "../../workers/limits.ts";
import { launchChromium } from "./chromium.ts";
import { APP_URL, holdRequests, openApp, pageResponses, runAtEdge } from "./snippet-page.ts";

const DEFAULT_PER_CLIENT = RATE_LIMITS.defaults.perClient;

const HANDLER = 'export default function handler() {\n  return "ok";\n}\n';

let browser: Browser;

before(async () => {
  browser = await launchChromium();
});

after(() => browser?.close());

describe("rate limits in the page", () => {
  test("the owner lowers the limits; a caller gets 429, the owner's Run at edge still runs", async () => {
    const created = await fetch(`${APP_URL}/api/snippets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ language: "typescript", code: HANDLER }),
    });
    const { id, token } = (await created.json()) as { id: string; token: string };
    const { context, page } = await openApp(browser);
    try {
      // The owner's browser holds the token, as after a save there.
      await page.evaluate(({ id, token }) => localStorage.setItem(`fnpad:token:${id}`, token), {
        id,
        token,
      });
      await page.goto(`${APP_URL}/s/${id}`);
      const control = page.getByTestId("limits");
      const summary = control.locator("summary");
      const says = (text: string) => control.locator(`summary[title*="${text}"]`).waitFor();
      await says(`${DEFAULT_PER_CLIENT} calls a minute from one client, 3000 from everyone`);

      await summary.click();
      await control.getByRole("spinbutton", { name: "Per client" }).fill("6");
      // The hint speaks of the figure as typed, before it is saved.
      const hint = control.locator("label", { hasText: "Per client" }).locator(".hint");
      assert.match(
        (await hint.textContent()) ?? "",
        new RegExp(`\\(default ${DEFAULT_PER_CLIENT}\\)`),
      );
      await control.getByRole("spinbutton", { name: "Everyone" }).fill("6");
      await control.getByRole("button", { name: "Save limits" }).click();
      await says("6 calls a minute from one client, 6 from everyone");
      assert.equal(await control.getByRole("spinbutton", { name: "Per client" }).inputValue(), "6");

      // A caller: one call, then the bucket (one call, refilled in 10 s) is empty.
      const endpoint = `${APP_URL}/fn/${id}/`;
      assert.equal((await fetch(endpoint)).status, 200);
      const refused = await fetch(endpoint);
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get("retry-after")) >= 1);
      assert.equal(refused.headers.get("x-fnpad-error"), "platform");

      // The owner sees the refusal (the open control refreshes itself) and is not locked out.
      await control.getByTestId("limits-refused").filter({ hasText: "1 refused" }).waitFor();
      await runAtEdge(page);
      const { edge } = await pageResponses(page);
      assert.equal(edge?.status, 200);
      assert.equal(new TextDecoder().decode(edge?.body), "ok");

      // Presenting: the same control, in the endpoint card, shown at once from what the page
      // last read: the server's answer to the card's own read is held until it is there.
      const answer = await holdRequests(page, `**/api/snippets/${id}/limits`);
      await page.keyboard.press("Control+Shift+P");
      const card = page.locator(".endpoint-card");
      await card.locator('[data-testid="limits"] summary[title*="6 calls a minute"]').waitFor();
      await answer();

      // Defaults again, from the page.
      await card.getByTestId("limits").locator("summary").click();
      await card.getByRole("button", { name: "Defaults" }).click();
      await card
        .locator(`[data-testid="limits"] summary[title*="${DEFAULT_PER_CLIENT} calls a minute"]`)
        .waitFor();
      assert.equal(
        await card.getByRole("spinbutton", { name: "Per client" }).inputValue(),
        String(DEFAULT_PER_CLIENT),
      );
    } finally {
      await context.close();
    }
  });
});
