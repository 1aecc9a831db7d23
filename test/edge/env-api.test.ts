/** The env API: owner only, secrets never returned or stored in plain text, bad input changes nothing. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { redactEnvValues } from "../../edge/env-redact.ts";
import type {
  ApiErrorBody,
  EnvListView,
  EnvNamesView,
  EnvRevealView,
} from "../../workers/api-types.ts";
import { ENV_LIMITS } from "../../workers/limits.ts";
import { api, createSnippet } from "./api-client.ts";

const SECRET = "sk-live-0123456789abcdef";

async function withEnv() {
  const snippet = await createSnippet();
  const put = (name: string, value: string, secret: boolean) =>
    api("PUT", `/api/snippets/${snippet.id}/env/${name}`, {
      token: snippet.token,
      body: { value, secret },
    });
  const saved = await put("API_KEY", SECRET, true);
  expect(saved.status).toBe(200);
  // The answer to setting a secret names it and says when; it never echoes the value.
  const answer = await saved.text();
  expect(answer).toContain("API_KEY");
  expect(answer).not.toContain(SECRET);
  expect((await put("REGION", "eu", false)).status).toBe(200);
  return { ...snippet, put };
}

async function listing(id: string, token: string): Promise<EnvListView> {
  const response = await api("GET", `/api/snippets/${id}/env`, { token });
  expect(response.status).toBe(200);
  return response.json();
}

async function reveal(id: string, token: string): Promise<EnvRevealView> {
  const response = await api("POST", `/api/snippets/${id}/env/reveal`, { token });
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return response.json();
}

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  const body: ApiErrorBody = await response.json();
  expect(body.error.code).toBe(code);
  return body.error;
}

describe("env API", () => {
  it("lists names, kinds and times, a variable's value, never a secret's", async () => {
    const { id, token } = await withEnv();
    const response = await api("GET", `/api/snippets/${id}/env`, { token });
    const text = await response.text();
    expect(text).not.toContain(SECRET);
    const { entries } = JSON.parse(text) as EnvListView;
    expect(entries).toEqual([
      { name: "API_KEY", secret: true, empty: false, updatedAt: expect.any(String) },
      { name: "REGION", secret: false, value: "eu", empty: false, updatedAt: expect.any(String) },
    ]);
  });

  it("gives anyone the names alone (a visitor's browser runs get them with empty values)", async () => {
    const { id } = await withEnv();
    const response = await api("GET", `/api/snippets/${id}/env/names`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(SECRET);
    expect(JSON.parse(text) as EnvNamesView).toEqual({ names: ["API_KEY", "REGION"] });
    await expectError(await api("GET", "/api/snippets/nosuchsnippet/env/names"), 404, "not_found");
  });

  it("reveals every value to the owner only", async () => {
    const { id, token } = await withEnv();
    expect((await reveal(id, token)).env).toEqual({ API_KEY: SECRET, REGION: "eu" });
    await expectError(await api("POST", `/api/snippets/${id}/env/reveal`), 401, "unauthorized");
    const wrong = await api("POST", `/api/snippets/${id}/env/reveal`, { token: "nope" });
    expect(await wrong.text()).not.toContain(SECRET);
    await expectError(await api("GET", `/api/snippets/${id}/env`), 401, "unauthorized");
  });

  it("stores a secret only encrypted (the D1 row), bound to its snippet and name", async () => {
    const { id, token } = await withEnv();
    const row = await env.DB.prepare("SELECT * FROM snippet_env WHERE snippet_id = ? AND name = ?")
      .bind(id, "API_KEY")
      .first<Record<string, unknown>>();
    expect(row?.value).toBeNull();
    expect(row?.value_cipher).toEqual(expect.any(String));
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(btoa(SECRET).slice(0, 12));
    // The same ciphertext under another name does not decrypt, and the refusal names no value.
    await env.DB.prepare(
      `INSERT INTO snippet_env (snippet_id, name, secret, value, value_cipher, iv, size, updated_at)
       VALUES (?, 'COPY', 1, NULL, ?, ?, 1, '')`,
    )
      .bind(id, row?.value_cipher, row?.iv)
      .run();
    const refused = await api("POST", `/api/snippets/${id}/env/reveal`, { token });
    expect(refused.status).toBe(503);
    const text = await refused.text();
    expect(text).toContain("env_decrypt_failed");
    expect(text).not.toContain(SECRET);
  });

  it("never shows env in the snippet, its versions or a fork; a fork gets the names, empty", async () => {
    const { id, token } = await withEnv();
    for (const path of [`/api/snippets/${id}`, `/api/snippets/${id}/versions`]) {
      expect(await (await api("GET", path)).text()).not.toContain(SECRET);
    }
    const forked = await api("POST", `/api/snippets/${id}/fork`, { body: {} });
    const forkText = await forked.text();
    expect(forkText).not.toContain(SECRET);
    const fork = JSON.parse(forkText) as { id: string; token: string };
    expect((await listing(fork.id, fork.token)).entries).toEqual([
      { name: "API_KEY", secret: true, empty: true, updatedAt: expect.any(String) },
      { name: "REGION", secret: false, value: "", empty: true, updatedAt: expect.any(String) },
    ]);
    expect((await reveal(fork.id, fork.token)).env).toEqual({ API_KEY: "", REGION: "" });
    // The original keeps its values.
    expect((await reveal(id, token)).env.API_KEY).toBe(SECRET);
  });

  it("replaces and deletes entries; deleting the snippet deletes its env", async () => {
    const { id, token, put } = await withEnv();
    expect((await put("API_KEY", "second", true)).status).toBe(200);
    expect((await put("REGION", "us", true)).status).toBe(200);
    expect((await reveal(id, token)).env).toEqual({ API_KEY: "second", REGION: "us" });
    const deleted = await api("DELETE", `/api/snippets/${id}/env/REGION`, { token });
    expect(deleted.status).toBe(204);
    await expectError(
      await api("DELETE", `/api/snippets/${id}/env/REGION`, { token }),
      404,
      "not_found",
    );
    expect(Object.keys((await reveal(id, token)).env)).toEqual(["API_KEY"]);
    expect((await api("DELETE", `/api/snippets/${id}`, { token })).status).toBe(204);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM snippet_env WHERE snippet_id = ?")
      .bind(id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });
});

describe("env API refusals change nothing", () => {
  async function unchanged(id: string, token: string, before: EnvRevealView) {
    expect(await reveal(id, token)).toEqual(before);
  }

  it("a wrong or missing token: 403 / 401", async () => {
    const { id, token } = await withEnv();
    const before = await reveal(id, token);
    const body = { value: "stolen", secret: false };
    await expectError(
      await api("PUT", `/api/snippets/${id}/env/API_KEY`, { token: "wrong", body }),
      403,
      "forbidden",
    );
    await expectError(
      await api("PUT", `/api/snippets/${id}/env/NEW`, { body }),
      401,
      "unauthorized",
    );
    await expectError(
      await api("DELETE", `/api/snippets/${id}/env/API_KEY`, { token: "wrong" }),
      403,
      "forbidden",
    );
    const other = await createSnippet();
    await expectError(
      await api("GET", `/api/snippets/${id}/env`, { token: other.token }),
      403,
      "forbidden",
    );
    await unchanged(id, token, before);
  });

  it("invalid names and bodies: 400", async () => {
    const { id, token, put } = await withEnv();
    const before = await reveal(id, token);
    for (const name of [
      "lower",
      "1ABC",
      "A-B",
      "A%20B",
      "Ä",
      "X".repeat(ENV_LIMITS.nameChars + 1),
    ]) {
      await expectError(await put(name, "v", false), 400, "invalid_name");
    }
    const bad = (body: unknown) => api("PUT", `/api/snippets/${id}/env/OK`, { token, body });
    await expectError(await bad({ value: 1 }), 400, "invalid_body");
    await expectError(await bad({ value: "\ud800" }), 400, "invalid_body");
    await expectError(await bad({ value: "v", secret: "yes" }), 400, "invalid_body");
    await expectError(await bad("{"), 400, "invalid_json");
    await unchanged(id, token, before);
  });

  it("a value over 4 KB, a total over 64 KB: 413; more than 32 entries: 400", async () => {
    const { id, token, put } = await withEnv();
    const before = await reveal(id, token);
    const over = "é".repeat(ENV_LIMITS.valueBytes / 2 + 1);
    await expectError(await put("BIG", over, true), 413, "payload_too_large");
    await expectError(await put("API_KEY", over, false), 413, "payload_too_large");
    await unchanged(id, token, before);

    const full = "x".repeat(ENV_LIMITS.valueBytes);
    const fits = Math.floor((ENV_LIMITS.totalBytes - SECRET.length - 2) / ENV_LIMITS.valueBytes);
    for (let i = 0; i < fits; i++)
      expect((await put(`BIG_${i}`, full, i % 2 === 0)).status).toBe(200);
    const filled = await reveal(id, token);
    await expectError(await put("ONE_MORE", full, true), 413, "payload_too_large");
    await unchanged(id, token, filled);

    const small = await createSnippet();
    const putSmall = (name: string) =>
      api("PUT", `/api/snippets/${small.id}/env/${name}`, {
        token: small.token,
        body: { value: "v", secret: false },
      });
    for (let i = 0; i < ENV_LIMITS.entries; i++) expect((await putSmall(`V${i}`)).status).toBe(200);
    const atLimit = await reveal(small.id, small.token);
    await expectError(await putSmall("EXTRA"), 400, "too_many_entries");
    // Replacing one of them is still allowed.
    expect((await putSmall("V0")).status).toBe(200);
    await unchanged(small.id, small.token, atLimit);
  });
});

describe("redactEnvValues (for a handler's errors and anything that records calls)", () => {
  it("replaces each value, longest first, and leaves values under 4 characters", () => {
    const env = { KEY: "sk-123456", PREFIX: "sk-", LONG: "sk-123456-extra" };
    expect(redactEnvValues("a sk-123456-extra b sk-123456 c sk-", env)).toBe(
      "a [env LONG] b [env KEY] c sk-",
    );
    expect(redactEnvValues("nothing here", {})).toBe("nothing here");
  });

  it("also takes out a value quoted cut short, or cut at a line's end (8 characters and more)", () => {
    const env = { KEY: "sk-live-0123456789abcdef" };
    expect(redactEnvValues(`Unexpected token 's', "sk-live-01"... is not valid JSON`, env)).toBe(
      `Unexpected token 's', "[env KEY]"... is not valid JSON`,
    );
    expect(redactEnvValues("key=…89abcdef", env)).toBe("key=…[env KEY]");
    // Under 8 characters a piece stays: it would blank out ordinary words.
    expect(redactEnvValues("sk-live and 789abc", env)).toBe("sk-live and 789abc");
  });
});
