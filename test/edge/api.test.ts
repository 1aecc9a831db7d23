import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findVersion } from "../../edge/db.ts";
import { hashToken } from "../../edge/tokens.ts";
import type {
  CreatedSnippet,
  SnippetVersionView,
  SnippetView,
  VersionSummary,
} from "../../workers/api-types.ts";
import { api, createSnippet, ORIGIN, PYTHON_HELLO, TS_HELLO } from "./api-client.ts";

describe("creating and reading", () => {
  it("creates a snippet and answers with its id, token and URLs", async () => {
    const response = await api("POST", "/api/snippets", {
      body: { language: "python", code: PYTHON_HELLO, title: "Hello" },
    });
    expect(response.status).toBe(201);
    const created: CreatedSnippet = await response.json();
    // Readable aloud: lower case and digits without look-alikes (0/o, 1/l).
    expect(created.id).toMatch(/^[2-9a-km-np-z]{12}$/);
    expect(created.token).toMatch(/^[\w-]{43}$/);
    expect(created).toMatchObject({
      language: "python",
      title: "Hello",
      version: 1,
      code: PYTHON_HELLO,
      forkedFrom: null,
      shareUrl: `${ORIGIN}/s/${created.id}`,
      endpointUrl: `${ORIGIN}/fn/${created.id}`,
    });
    expect(response.headers.get("location")).toBe(`/api/snippets/${created.id}`);
  });

  it("reads a snippet back without any token material", async () => {
    const created = await createSnippet({ title: "Read me" });
    const response = await api("GET", `/api/snippets/${created.id}`);
    expect(response.status).toBe(200);
    const read: SnippetView = await response.json();
    const { token: _token, ...withoutToken } = created;
    expect(read).toEqual(withoutToken);
    expect(Object.keys(read).join()).not.toMatch(/token/i);
  });

  it("gives every snippet a different id and token", async () => {
    const made = await Promise.all([1, 2, 3, 4, 5].map(() => createSnippet()));
    expect(new Set(made.map((s) => s.id)).size).toBe(5);
    expect(new Set(made.map((s) => s.token)).size).toBe(5);
  });

  it("stores only the SHA-256 of the edit token", async () => {
    const created = await createSnippet();
    const row = await env.DB.prepare("SELECT * FROM snippets WHERE id = ?")
      .bind(created.id)
      .first<Record<string, unknown>>();
    expect(Object.values(row ?? {})).not.toContain(created.token);
    expect(row?.token_hash).toBe(await hashToken(created.token));
  });

  it("compiles TypeScript at save time and stores Python as it is", async () => {
    const ts = await createSnippet({ language: "typescript", code: TS_HELLO });
    const py = await createSnippet({ language: "python" });
    const tsVersion = await findVersion(env.DB, ts.id);
    expect(tsVersion?.compiled).toEqual(expect.any(String));
    expect(tsVersion?.compiled).not.toContain("req: Request");
    expect((await findVersion(env.DB, py.id))?.compiled).toBeNull();
  });
});

describe("updating and versions", () => {
  it("saves each update as a new version and keeps the old ones", async () => {
    const created = await createSnippet({ title: "v1 title" });
    const v2 = "def handler(request):\n    return 'two'\n";
    const response = await api("PUT", `/api/snippets/${created.id}`, {
      token: created.token,
      body: { code: v2 },
    });
    expect(response.status).toBe(200);
    const updated: SnippetView = await response.json();
    expect(updated).toMatchObject({ version: 2, code: v2, title: "v1 title" });
    expect(updated.updatedAt >= created.updatedAt).toBe(true);

    const latest: SnippetView = await (await api("GET", `/api/snippets/${created.id}`)).json();
    expect(latest).toMatchObject({ version: 2, code: v2 });
    const first: SnippetVersionView = await (
      await api("GET", `/api/snippets/${created.id}/versions/1`)
    ).json();
    expect(first).toMatchObject({
      id: created.id,
      version: 1,
      code: PYTHON_HELLO,
      endpointUrl: `${ORIGIN}/fn/${created.id}@1`,
    });
    expect((await findVersion(env.DB, created.id, 1))?.code).toBe(PYTHON_HELLO);
    expect((await findVersion(env.DB, created.id))?.version).toBe(2);
  });

  it("changes the title only when one is sent", async () => {
    const created = await createSnippet({ title: "Old" });
    const path = `/api/snippets/${created.id}`;
    await api("PUT", path, { token: created.token, body: { code: "x = 1", title: "New" } });
    expect(await (await api("GET", path)).json()).toMatchObject({ title: "New", version: 2 });
  });

  it("lists versions newest first with their sizes in bytes", async () => {
    const created = await createSnippet({ code: "é" });
    await api("PUT", `/api/snippets/${created.id}`, {
      token: created.token,
      body: { code: "abc" },
    });
    const response = await api("GET", `/api/snippets/${created.id}/versions`);
    expect(response.status).toBe(200);
    const { versions }: { versions: VersionSummary[] } = await response.json();
    expect(versions.map(({ version, size }) => ({ version, size }))).toEqual([
      { version: 2, size: 3 },
      { version: 1, size: 2 },
    ]);
    expect(versions[1]?.createdAt).toBe(created.createdAt);
  });

  it("numbers concurrent saves consecutively", async () => {
    const created = await createSnippet();
    const saves = await Promise.all(
      ["a = 1", "b = 2", "c = 3"].map((code) =>
        api("PUT", `/api/snippets/${created.id}`, { token: created.token, body: { code } }),
      ),
    );
    expect(saves.map((r) => r.status)).toEqual([200, 200, 200]);
    const { versions } = await (await api("GET", `/api/snippets/${created.id}/versions`)).json<{
      versions: VersionSummary[];
    }>();
    expect(versions.map((v) => v.version)).toEqual([4, 3, 2, 1]);
  });
});

describe("forking", () => {
  it("forks into a new snippet with its own token", async () => {
    const source = await createSnippet({ title: "Original" });
    const response = await api("POST", `/api/snippets/${source.id}/fork`);
    expect(response.status).toBe(201);
    const fork: CreatedSnippet = await response.json();
    expect(fork.id).not.toBe(source.id);
    expect(fork.token).not.toBe(source.token);
    expect(fork).toMatchObject({
      forkedFrom: source.id,
      title: "Original",
      version: 1,
      code: PYTHON_HELLO,
    });

    const edit = { body: { code: "x = 2" } };
    const withSourceToken = await api("PUT", `/api/snippets/${fork.id}`, {
      ...edit,
      token: source.token,
    });
    expect(withSourceToken.status).toBe(403);
    const withOwnToken = await api("PUT", `/api/snippets/${fork.id}`, {
      ...edit,
      token: fork.token,
    });
    expect(withOwnToken.status).toBe(200);
    expect(await (await api("GET", `/api/snippets/${source.id}`)).json()).toMatchObject({
      version: 1,
    });
  });

  it("forks a chosen version with a new title", async () => {
    const source = await createSnippet({ language: "typescript", code: TS_HELLO });
    await api("PUT", `/api/snippets/${source.id}`, {
      token: source.token,
      body: { code: "export default () => 2;" },
    });
    const response = await api("POST", `/api/snippets/${source.id}/fork`, {
      body: { version: 1, title: "Mine" },
    });
    const fork: CreatedSnippet = await response.json();
    expect(fork).toMatchObject({ language: "typescript", code: TS_HELLO, title: "Mine" });
    expect((await findVersion(env.DB, fork.id))?.compiled).toBe(
      (await findVersion(env.DB, source.id, 1))?.compiled,
    );
  });
});

describe("deleting", () => {
  it("deletes with the token; afterwards every read is 410 and the endpoint finds nothing", async () => {
    const created = await createSnippet();
    const path = `/api/snippets/${created.id}`;
    const response = await api("DELETE", path, { token: created.token });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");

    for (const [method, suffix] of [
      ["GET", ""],
      ["GET", "/versions"],
      ["GET", "/versions/1"],
      ["POST", "/fork"],
      ["DELETE", ""],
    ] as const) {
      const after = await api(method, path + suffix, { token: created.token });
      expect(after.status, `${method} ${suffix}`).toBe(410);
    }
    const put = await api("PUT", path, { token: created.token, body: { code: "x = 1" } });
    expect(put.status).toBe(410);
    expect(await findVersion(env.DB, created.id)).toBeNull();
    const code = await env.DB.prepare("SELECT count(*) AS n FROM versions WHERE snippet_id = ?")
      .bind(created.id)
      .first<number>("n");
    expect(code).toBe(0);
  });
});
