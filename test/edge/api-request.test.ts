/** The request and description saved with a snippet: what visitors, forks and curl start from. */
import { describe, expect, it } from "vitest";
import type { SavedRequest, SnippetView } from "../../workers/api-types.ts";
import { api, createSnippet, PYTHON_HELLO } from "./api-client.ts";

const REQUEST: SavedRequest = {
  method: "POST",
  path: "/orders",
  query: [{ enabled: true, name: "dry", value: "1" }],
  headers: [{ enabled: false, name: "x-trace", value: "on" }],
  body: '{"n": 1}',
  bodyEncoding: "text",
};

async function view(id: string): Promise<SnippetView> {
  return (await api("GET", `/api/snippets/${id}`)).json();
}

describe("a snippet's saved request and description", () => {
  it("are stored at creation, kept by a save that leaves them out, and copied by a fork", async () => {
    const created = await api("POST", "/api/snippets", {
      body: {
        language: "python",
        code: PYTHON_HELLO,
        description: "Takes orders",
        request: REQUEST,
      },
    });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as { id: string; token: string };
    expect(await view(id)).toMatchObject({ description: "Takes orders", request: REQUEST });

    const saved = await api("PUT", `/api/snippets/${id}`, { token, body: { code: PYTHON_HELLO } });
    expect(saved.status).toBe(200);
    expect(await view(id)).toMatchObject({
      version: 2,
      description: "Takes orders",
      request: REQUEST,
    });

    const fork = await api("POST", `/api/snippets/${id}/fork`, { body: {} });
    const forked = (await fork.json()) as SnippetView;
    expect(forked).toMatchObject({ description: "Takes orders", request: REQUEST });

    const cleared = await api("PUT", `/api/snippets/${id}`, {
      token,
      body: { code: PYTHON_HELLO, request: null, description: "" },
    });
    expect(await cleared.json()).toMatchObject({ request: null, description: "" });
  });

  it("is null for a snippet saved without one", async () => {
    const { id } = await createSnippet();
    expect(await view(id)).toMatchObject({ request: null, description: "" });
  });

  it.each([
    ["an unknown method", { ...REQUEST, method: "BREW" }],
    ["too many header rows", { ...REQUEST, headers: Array(51).fill(REQUEST.headers[0]) }],
    ["a row without a value", { ...REQUEST, query: [{ enabled: true, name: "a" }] }],
    ["an unknown body encoding", { ...REQUEST, bodyEncoding: "hex" }],
    [
      "a header name with a line break",
      { ...REQUEST, headers: [{ enabled: true, name: "x-a\r\nset-cookie", value: "1" }] },
    ],
    [
      "a header value with a line break",
      { ...REQUEST, headers: [{ enabled: true, name: "x-a", value: "1\nset-cookie: a=b" }] },
    ],
    [
      "a header name with NUL",
      { ...REQUEST, headers: [{ enabled: false, name: "x\0", value: "" }] },
    ],
  ])("refuses %s with a 400 and stores nothing", async (_, request) => {
    const { id, token } = await createSnippet();
    const response = await api("POST", "/api/snippets", {
      body: { language: "python", code: PYTHON_HELLO, request },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_body" } });
    const saved = await api("PUT", `/api/snippets/${id}`, {
      token,
      body: { code: PYTHON_HELLO, request },
    });
    expect(saved.status).toBe(400);
    expect(await view(id)).toMatchObject({ version: 1, request: null });
  });

  it("refuses a description over 1000 characters", async () => {
    const response = await api("POST", "/api/snippets", {
      body: { language: "python", code: PYTHON_HELLO, description: "x".repeat(1001) },
    });
    expect(response.status).toBe(400);
  });
});
