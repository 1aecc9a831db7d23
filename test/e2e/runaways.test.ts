/**
 * Runaway snippets never stall the local server: with each in flight, the API and the SPA answer
 * within 1 s, other snippets' endpoints within a few seconds, the runaway gets a 503 platform
 * error within 15 s, and a runner left stuck or dead is replaced, after which its snippets run
 * again; a version that ran past its deadline is refused at once for a while. Against the setup of `npm run dev` (the supervisor and its runner processes).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runnerIndex } from "../../edge/runner/pool.ts";
import { currentAppServer } from "../../tools/app-server.ts";
import {
  attack,
  createSnippet,
  describeFigures,
  RUNAWAYS,
  replacement,
  replacementsSoFar,
} from "./runaways.ts";

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

describe("a version that ran past its deadline", () => {
  test("is refused at once for a while, while other snippets and its next version run", async () => {
    const { url } = currentAppServer();
    const bomb = RUNAWAYS.find((runaway) => runaway.name === "regex bomb");
    assert.ok(bomb);
    const created = await fetch(`${url}/api/snippets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ language: bomb.language, code: bomb.code }),
    });
    const { id, token } = (await created.json()) as { id: string; token: string };
    const other = await createSnippet(url, "python", 'def handler(request):\n    return "ok"\n');
    const replacedBefore = replacementsSoFar(currentAppServer());

    const first = await fetch(`${url}/fn/${id}/`);
    assert.equal(first.status, 503);
    assert.match(await first.text(), /deadline/);

    // The second call never reaches a runner: refused at once, not after another 10 s.
    const started = performance.now();
    const second = await fetch(`${url}/fn/${id}/`);
    const ms = performance.now() - started;
    const body = await second.text();
    assert.equal(second.status, 503);
    assert.ok(ms < 1000, `refused after ${Math.round(ms)} ms`);
    assert.equal(second.headers.get("x-fnpad-error"), "platform");
    assert.match(body, /"source":"platform"/);
    assert.match(body, /was stopped at its 10 s deadline, so its calls are refused for \d+ more s/);
    const retryAfter = Number(second.headers.get("retry-after"));
    assert.ok(retryAfter >= 1 && retryAfter <= 30, `Retry-After: ${retryAfter}`);

    // Everyone else is served, and so is the owner's next version.
    assert.equal((await fetch(`${url}/fn/${other}/`)).status, 200);
    const saved = await fetch(`${url}/api/snippets/${id}`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ code: 'export default () => "fixed";\n' }),
    });
    assert.equal(saved.status, 200, await saved.text());
    const fixed = await fetch(`${url}/fn/${id}/`);
    assert.equal(await fixed.text(), "fixed");
    assert.equal(fixed.status, 200);
    // The runner the first call left stuck is replaced before the next tests measure the others.
    assert.ok(await replacement(currentAppServer(), replacedBefore, 40_000), "not replaced");
  });
});

describe("a snippet that shared a runner with a runaway", () => {
  test("is never refused for it: called beside runaways again and again, it runs on a runner of its own and answers", async () => {
    const { url } = currentAppServer();
    // A regex bomb that answers at once when asked to warm up, so that its isolate is loaded on
    // its runner before the race below: a cold one could still be loading when the neighbour ran.
    const bomb = {
      language: "typescript",
      code: 'export default function handler(request: Request) {\n  if (request.url.endsWith("?warm")) return "warm";\n  return String(/^(a+)+$/.test("a".repeat(34) + "!"));\n}\n',
    } as const;
    const runaways = [await createSnippet(url, bomb.language, bomb.code)];
    const runner = runnerIndex(runaways[0] ?? "", 2);
    // A neighbour on the runaway's runner (snippets are spread by id), and a second runaway there.
    let neighbour = "";
    do {
      neighbour = await createSnippet(url, "typescript", 'export default () => "neighbour";\n');
    } while (runnerIndex(neighbour, 2) !== runner);
    let second = "";
    do {
      second = await createSnippet(url, bomb.language, `${bomb.code}// ${runaways.length}\n`);
    } while (runnerIndex(second, 2) !== runner);
    runaways.push(second);

    // The attack: call the victim's endpoint just after a runaway of one's own, each time.
    const beside = async (runaway: string) => {
      const replacedBefore = replacementsSoFar(currentAppServer());
      const warm = await fetch(`${url}/fn/${runaway}/?warm`);
      assert.equal(await warm.text(), "warm");
      const runawayCall = fetch(`${url}/fn/${runaway}/`);
      // Sent while the runaway has just started: the runner does not look stuck yet.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const call = await fetch(`${url}/fn/${neighbour}/`);
      const body = await call.text();
      const runawayStatus = (await runawayCall).status;
      // Before the next round: the runner the runaway left stuck is replaced.
      assert.ok(await replacement(currentAppServer(), replacedBefore, 40_000), "not replaced");
      assert.equal(runawayStatus, 503);
      return { status: call.status, body };
    };

    // The first time it shares the runaway's runner, and gets the 503 of that moment.
    const first = await beside(runaways[0] ?? "");
    assert.equal(first.status, 503);
    assert.match(first.body, /deadline|runner stopped/);
    // From then on it is a suspect: its calls get a runner with nothing else in flight, so the
    // next runaway cannot take it down with it (before, a second shared failure refused it).
    const again = await beside(second);
    assert.equal(again.body, "neighbour");
    assert.equal(again.status, 200);

    const after = await fetch(`${url}/fn/${neighbour}/`);
    assert.equal(await after.text(), "neighbour");
    assert.equal(after.status, 200);
  });
});

describe("runaway snippets under npm run dev", () => {
  for (const runaway of RUNAWAYS) {
    test(runaway.name, async () => {
      const figures = await attack(currentAppServer(), runaway);
      console.log(describeFigures(figures));
      if (runaway.ownError && figures.status === 500) {
        assert.match(figures.message, runaway.ownError);
      } else {
        assert.equal(figures.status, 503, figures.message);
        assert.match(figures.message, /"source":"platform"/);
      }
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
