/**
 * Parity: every shared fixture saved through the UI gives the same status, handler headers and
 * body in the browser, at the edge through "Run at edge", and to a plain HTTP client (as curl).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { compareResponses } from "../../web/src/response-compare.ts";
import type { WireResponse } from "../../workers/runtime-protocol.ts";
import {
  fixtureRequestInit,
  fixtureUrl,
  responseMismatches,
} from "../fixtures/handlers/fixtures.ts";
import {
  APP_URL,
  asWire,
  chooseLanguage,
  fixtureDraft,
  launchAppPage,
  loadFixtures,
  pageResponses,
  runAtEdge,
  save,
  setEnvInPanel,
  setRequest,
  writeCode,
} from "./snippet-page.ts";

describe("parity of every fixture: browser, Run at edge, plain HTTP client", () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    // One page for every fixture: Monaco and Pyodide load once.
    ({ browser, page } = await launchAppPage());
  });

  after(() => browser?.close());

  for (const fixture of loadFixtures()) {
    test(`${fixture.language}/${fixture.name}`, async () => {
      await page.getByRole("button", { name: "New", exact: true }).click();
      await page.waitForURL(`${APP_URL}/`);
      await chooseLanguage(page, fixture.language);
      await writeCode(page, fixture.code);
      await setRequest(page, fixtureDraft(fixture));
      const id = await save(page, /Saved as a new snippet/);
      if (fixture.env) await setEnvInPanel(page, fixture.env);

      const verdict = await runAtEdge(page);
      const { browser: inBrowser, edge } = await pageResponses(page);
      assert.ok(inBrowser && edge);
      const endpoint = `${APP_URL}/fn/${id}`;
      const plain = await asWire(
        await fetch(fixtureUrl(fixture, endpoint), fixtureRequestInit(fixture)),
      );

      // The body's text in the message: a platform error (e.g. a 503 from the server) says why.
      const check = (actual: WireResponse, how: string) =>
        assert.deepEqual(
          responseMismatches(fixture.response, actual),
          [],
          `${how}: ${new TextDecoder().decode(actual.body).slice(0, 300)}`,
        );
      check(inBrowser, "browser");
      check(edge, "Run at edge");
      check(plain, "plain HTTP client");
      const none = { status: false, headers: [], body: false };
      assert.deepEqual(compareResponses(inBrowser, edge), none, "browser vs Run at edge");
      assert.deepEqual(compareResponses(inBrowser, plain), none, "browser vs plain HTTP client");
      assert.equal(verdict, "Same status, handler headers and body.");
    });
  }

  test("request.cf's values: the browser's placeholder under npm run dev too", async () => {
    // Before, the local server gave miniflare's own stand-in (Austin, Texas) and the browser XX:
    // a handler that greets by country answered differently in the two.
    await page.getByRole("button", { name: "New", exact: true }).click();
    await page.waitForURL(`${APP_URL}/`);
    await chooseLanguage(page, "typescript");
    await writeCode(
      page,
      "export default (req: Request) => {\n  const cf = (req as unknown as { cf?: Record<string, unknown> }).cf;\n  return Response.json({ country: cf?.country, colo: cf?.colo, city: cf?.city });\n};\n",
    );
    await save(page, /Saved as a new snippet/);
    assert.equal(await runAtEdge(page), "Same status, handler headers and body.");
    const { edge } = await pageResponses(page);
    assert.ok(edge);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(edge.body)), {
      country: "XX",
      colo: "XXX",
      city: "Placeholder",
    });
  });

  test("a HEAD request: the browser run shows no body, as HTTP and so Run at edge deliver none", async () => {
    // Before, the browser run showed the handler's body and the comparison said "Differs in body".
    await page.getByRole("button", { name: "New", exact: true }).click();
    await page.waitForURL(`${APP_URL}/`);
    await chooseLanguage(page, "typescript");
    await writeCode(page, "export default (req: Request) => Response.json({ m: req.method });\n");
    await page.getByLabel("Method").selectOption("HEAD");
    await save(page, /Saved as a new snippet/);
    assert.equal(await runAtEdge(page), "Same status, handler headers and body.");
    const { browser: inBrowser, edge } = await pageResponses(page);
    assert.ok(inBrowser && edge);
    assert.equal(inBrowser.body.byteLength, 0);
    await page.getByLabel("Method").selectOption("GET");
  });
});
