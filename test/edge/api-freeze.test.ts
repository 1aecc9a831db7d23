/** Freeze: the public endpoint stays on one version while the owner goes on saving. */
import { describe, expect, it } from "vitest";
import { api, createSnippet } from "./api-client.ts";
import { callEndpoint } from "./fn-client.ts";

const version = (n: number) => `def handler(request):\n    return "v${n}"\n`;

async function served(ref: string): Promise<string> {
  return (await callEndpoint(ref)).text();
}

describe("freezing an endpoint", () => {
  it("pins /fn/:id to a version through later saves, until unfrozen", async () => {
    const { id, token } = await createSnippet({ code: version(1) });
    const save = (n: number) =>
      api("PUT", `/api/snippets/${id}`, { token, body: { code: version(n) } });
    expect((await save(2)).status).toBe(200);

    const frozen = await api("PUT", `/api/snippets/${id}/freeze`, { token, body: { version: 1 } });
    expect(frozen.status).toBe(200);
    expect(await frozen.json()).toMatchObject({ version: 2, frozenVersion: 1 });
    expect(await served(id)).toBe("v1");
    expect(await served(`${id}@2`)).toBe("v2");

    expect((await save(3)).status).toBe(200);
    expect(await served(id)).toBe("v1");
    expect(await (await api("GET", `/api/snippets/${id}`)).json()).toMatchObject({
      frozenVersion: 1,
    });

    const thawed = await api("DELETE", `/api/snippets/${id}/freeze`, { token });
    expect(await thawed.json()).toMatchObject({ frozenVersion: null });
    expect(await served(id)).toBe("v3");
  }, 60_000);

  it("freezes at the latest version when none is named", async () => {
    const { id, token } = await createSnippet({ code: version(1) });
    const frozen = await api("PUT", `/api/snippets/${id}/freeze`, { token });
    expect(await frozen.json()).toMatchObject({ frozenVersion: 1 });
  });

  it("refuses visitors, a wrong token and a version that does not exist, changing nothing", async () => {
    const { id, token } = await createSnippet({ code: version(1) });
    const body = { version: 1 };
    expect((await api("PUT", `/api/snippets/${id}/freeze`, { body })).status).toBe(401);
    expect((await api("PUT", `/api/snippets/${id}/freeze`, { token: "nope", body })).status).toBe(
      403,
    );
    const missing = await api("PUT", `/api/snippets/${id}/freeze`, { token, body: { version: 9 } });
    expect(missing.status).toBe(404);
    const bad = await api("PUT", `/api/snippets/${id}/freeze`, { token, body: { version: "1" } });
    expect(bad.status).toBe(400);
    expect(await (await api("GET", `/api/snippets/${id}`)).json()).toMatchObject({
      frozenVersion: null,
    });
  });
});
