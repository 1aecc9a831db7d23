/**
 * Runaway snippets never stall the local server: with each in flight, the API and the SPA answer
 * within 1 s, other snippets' endpoints within a few seconds, the runaway gets a 503 platform
 * error within 15 s, and a runner left stuck or dead is replaced, after which its snippets run
 * again. Against the setup of `npm run dev` (the supervisor and its runner processes).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { currentAppServer } from "../../tools/app-server.ts";
import { attack, createSnippet, describeFigures, RUNAWAYS } from "./runaways.ts";

/** The requirement for the API and the SPA. */
const APP_MS = 1000;
/** "Within a few seconds" for other snippets' endpoints. */
const OTHER_ENDPOINT_MS = 5000;

describe("snippets in runner processes", () => {
  test("reach the network only through the outbound guard, as in the app's process", async () => {
    const { url } = currentAppServer();
    const code = `export default async function handler() {\n  const r = await fetch("${url}/api/health");\n  return r.status + " " + (await r.text());\n}\n`;
    const id = await createSnippet(url, "typescript", code);
    const body = await (await fetch(`${url}/fn/${id}/`)).text();
    assert.match(body, /^403 .*fetch refused/);
  });
});

describe("runaway snippets under npm run dev", () => {
  for (const runaway of RUNAWAYS) {
    test(runaway.name, async () => {
      const figures = await attack(currentAppServer(), runaway);
      console.log(describeFigures(figures));
      assert.equal(figures.status, 503, figures.message);
      assert.match(figures.message, /"source":"platform"/);
      assert.ok(figures.seconds < 15, `answered after ${figures.seconds} s`);
      for (const probe of [figures.api, figures.spa]) {
        assert.deepEqual(probe.statuses, [200]);
        assert.ok(probe.maxMs < APP_MS, `the app took ${probe.maxMs} ms`);
      }
      for (const probe of [figures.otherRunner, figures.sameRunner]) {
        assert.deepEqual(probe.statuses, [200]);
        assert.ok(probe.maxMs < OTHER_ENDPOINT_MS, `an endpoint took ${probe.maxMs} ms`);
      }
      if (/deadline/.test(figures.message))
        assert.notEqual(figures.replacedAfterSeconds, null, "its runner was not replaced");
      assert.equal(figures.nextCallStatus, 200);
    });
  }
});
