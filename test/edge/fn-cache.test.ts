/**
 * The endpoint's caches (`edge/snippet-cache.ts`): what one isolate keeps of heads, versions and
 * env must never serve a stale or another snippet's answer. Every call here is answered by the
 * same isolate as the write before it, which must be seen at once.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertSnippet } from "../../edge/db.ts";
import { RATE_LIMITS } from "../../workers/limits.ts";
import { COMPILER_VERSION } from "../../workers/typescript/compile.ts";
import { api, createSnippet } from "./api-client.ts";
import { callEndpoint, setSecrets } from "./fn-client.ts";
import { setLimits } from "./limits-client.ts";

const says = (text: string) =>
  `export default function handler() {\n  return ${JSON.stringify(text)};\n}\n`;

async function served(ref: string, rest = "/"): Promise<string> {
  const response = await callEndpoint(ref, rest);
  return `${response.status} ${await response.text()}`;
}

async function save(id: string, token: string, code: string): Promise<void> {
  const response = await api("PUT", `/api/snippets/${id}`, { token, body: { code } });
  if (response.status !== 200) throw new Error(`save answered ${response.status}`);
}

describe("endpoint caches", () => {
  it("serves each save from the very next call, however often the old one was served", async () => {
    const { id, token } = await createSnippet({ language: "typescript", code: says("v1") });
    // Seventeen calls in a row from one address: more than a client's burst.
    await setLimits(id, token, { perClient: RATE_LIMITS.max });
    // Where a call's time goes is for the bench only (FNPAD_SERVER_TIMING=on), never sent otherwise.
    expect((await callEndpoint(id)).headers.get("server-timing")).toBeNull();
    for (let n = 2; n <= 5; n += 1) {
      for (let i = 0; i < 3; i += 1) expect(await served(id)).toBe(`200 v${n - 1}`);
      await save(id, token, says(`v${n}`));
      expect(await served(id)).toBe(`200 v${n}`);
    }
  });

  it("serves a pinned version from its cache, which later saves never change", async () => {
    const { id, token } = await createSnippet({ language: "typescript", code: says("one") });
    expect(await served(`${id}@1`)).toBe("200 one");
    // Versions are immutable, so the cached one is what runs: a row changed behind the app's
    // back (which no API can do) is not read again.
    await env.DB.prepare("UPDATE versions SET compiled = ? WHERE snippet_id = ? AND version = 1")
      .bind('export default () => "changed in D1";', id)
      .run();
    expect(await served(`${id}@1`)).toBe("200 one");
    await save(id, token, says("two"));
    expect(await served(`${id}@1`)).toBe("200 one");
    expect(await served(`${id}@2`)).toBe("200 two");
    expect(await served(id)).toBe("200 two");
  });

  it("answers a pin past the latest version it knows by asking D1, not with a cached 404", async () => {
    const { id, token } = await createSnippet({ language: "typescript", code: says("one") });
    expect(await served(`${id}@1`)).toBe("200 one");
    expect(await served(`${id}@2`)).toMatch(/^404 /);
    // A version saved where this isolate's cache does not hear of it (another isolate, say).
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO versions (snippet_id, version, code, compiled, created_at) VALUES (?, 2, ?, ?, ?)",
      ).bind(id, says("two"), 'export default () => "two";', new Date().toISOString()),
      env.DB.prepare("UPDATE snippets SET current_version = 2 WHERE id = ?").bind(id),
    ]);
    expect(await served(`${id}@2`)).toBe("200 two");
    await save(id, token, says("three"));
    expect(await served(`${id}@3`)).toBe("200 three");
  });

  it("sees a freeze, an unfreeze and a delete at once", async () => {
    const { id, token } = await createSnippet({ language: "typescript", code: says("one") });
    await save(id, token, says("two"));
    expect(await served(id)).toBe("200 two");
    await api("PUT", `/api/snippets/${id}/freeze`, { token, body: { version: 1 } });
    expect(await served(id)).toBe("200 one");
    await save(id, token, says("three"));
    expect(await served(id)).toBe("200 one");
    await api("DELETE", `/api/snippets/${id}/freeze`, { token });
    expect(await served(id)).toBe("200 three");
    expect(await served(`${id}@1`)).toBe("200 one");
    expect((await api("DELETE", `/api/snippets/${id}`, { token })).status).toBe(204);
    expect(await served(id)).toMatch(/^404 /);
    expect(await served(`${id}@1`)).toMatch(/^404 /);
    expect(await served(`${id}@3`)).toMatch(/^404 /);
  });

  it("sees an env change at once, and never gives one snippet's env to another", async () => {
    const code =
      "export default { fetch(_req: Request, env: Record<string, string>) { return env.KEY ?? '(none)'; } };\n";
    const first = await createSnippet({ language: "typescript", code });
    const second = await createSnippet({ language: "typescript", code });
    await setSecrets(first.id, first.token, { KEY: "first-secret" });
    expect(await served(first.id)).toBe("200 first-secret");
    expect(await served(second.id)).toBe("200 (none)");
    await setSecrets(first.id, first.token, { KEY: "rotated" });
    expect(await served(first.id)).toBe("200 rotated");
    await api("DELETE", `/api/snippets/${first.id}/env/KEY`, { token: first.token });
    expect(await served(first.id)).toBe("200 (none)");
  });

  it("keeps the same code in two snippets apart: module state, versions and saves", async () => {
    const counter =
      "let calls = 0;\nexport default function handler() {\n  return String(++calls);\n}\n";
    const a = await createSnippet({ language: "typescript", code: counter });
    const b = await createSnippet({ language: "typescript", code: counter });
    expect(await served(a.id)).toBe("200 1");
    expect(await served(a.id)).toBe("200 2");
    expect(await served(b.id)).toBe("200 1");
    // A save of b (the hostile one, say) changes nothing of a's.
    await save(b.id, b.token, says("b's own"));
    expect(await served(b.id)).toBe("200 b's own");
    expect(await served(a.id)).toBe("200 3");
    // `a` and `a@1` are one version, so one isolate; b's version 1 is its own.
    expect(await served(`${a.id}@1`)).toBe("200 4");
    expect(await served(`${b.id}@1`)).toBe("200 2");
  });

  it("tells ids apart that differ only by case (old ids have capitals)", async () => {
    const now = new Date().toISOString();
    const add = (id: string, text: string) =>
      insertSnippet(env.DB, {
        id,
        language: "typescript",
        title: "",
        code: says(text),
        compiled: `export default () => ${JSON.stringify(text)};`,
        compiler: COMPILER_VERSION,
        tokenHash: "x",
        forkedFrom: null,
        description: "",
        requestJson: null,
      });
    const upper = `Cache${now.slice(17, 19)}Abc`;
    const lower = upper.toLowerCase();
    expect(await served(lower)).toMatch(/^404 /); // a cached miss, before the snippet exists
    await add(upper, "upper");
    await add(lower, "lower");
    expect(await served(upper)).toBe("200 upper");
    expect(await served(lower)).toBe("200 lower");
    expect(await served(`${upper}@1`)).toBe("200 upper");
    expect(await served(upper.toUpperCase())).toMatch(/^404 /);
  });

  it("refuses odd version references without touching what the real ones serve", async () => {
    const { id, token } = await createSnippet({ language: "typescript", code: says("one") });
    await save(id, token, says("two"));
    expect(await served(id)).toBe("200 two");
    expect(await served(`${id}@1`)).toBe("200 one");
    for (const odd of [
      "@01",
      "@0",
      "@-1",
      "@1.0",
      "@1e0",
      "@",
      "@1@1",
      "@ 1",
      "@0x1",
      "@1234567890",
    ])
      expect(await served(`${id}${odd}`), odd).toMatch(/^404 .*is not a version number; expected/);
    expect(await served(`${id}@2`, "/@1")).toBe("200 two"); // an `@` in the path is the handler's
    expect(await served(id)).toBe("200 two");
    expect(await served(`${id}@1`)).toBe("200 one");
  });
});
