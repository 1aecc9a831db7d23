/**
 * The supervisor bounds a runner's memory: a runner whose workerd passes its cap
 * (`--runner-memory-mb`) is drained and replaced, and no call is lost on the way. A server of its
 * own, with a cap a few Python snippets pass, as `npm run dev -- --runner-memory-mb 400` runs.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type AppServer, startAppServer } from "../../tools/app-server.ts";
import { createSnippet } from "./runaways.ts";

/** Low enough that a runner passes it after a few Python isolates (each adds some 40 MB). */
const CAP_MB = 400;
const SNIPPETS = 12;

/** Lines the supervisor wrote about recycling for memory. */
function recycled(server: AppServer): string[] {
  return server.supervisorLog().filter((line) => /once drained/.test(line));
}

describe("a runner past its memory cap", () => {
  let server: AppServer;

  before(async () => {
    server = await startAppServer({ devArgs: ["--runner-memory-mb", String(CAP_MB)] });
  });

  after(() => server?.stop());

  test("is drained and replaced while every call is answered", async () => {
    const ids: string[] = [];
    for (let n = 0; n < SNIPPETS; n += 1) {
      const code = `def handler(request):\n    return {"n": ${n}}\n`;
      ids.push(await createSnippet(server.url, "python", code));
    }
    // Twice round: the second time, snippets whose runner was recycled boot again elsewhere or
    // on its replacement.
    for (const round of [1, 2]) {
      for (const [n, id] of ids.entries()) {
        const response = await fetch(`${server.url}/fn/${id}/`);
        const body = await response.text();
        assert.equal(response.status, 200, `round ${round}, snippet ${n}: ${body}`);
        assert.deepEqual(JSON.parse(body), { n });
      }
    }
    const lines = recycled(server);
    assert.ok(lines.length > 0, `no runner was recycled:\n${server.supervisorLog().join("\n")}`);
    assert.match(lines[0] ?? "", new RegExp(`its workerd uses \\d+ MB \\(cap ${CAP_MB} MB\\)`));
    const name = /replacing (runner-\d+)/.exec(lines[0] ?? "")?.[1];
    // Drained, it lingers a few seconds refusing runs before it is replaced.
    const back = () => server.supervisorLog().some((line) => line.includes(`${name} is back`));
    for (let waited = 0; !back() && waited < 60_000; waited += 500) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.ok(back(), `${name} did not come back`);
  });
});
