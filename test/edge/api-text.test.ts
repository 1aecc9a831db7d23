/**
 * Text the API cannot store faithfully is refused, not silently replaced: strings with lone
 * surrogates (JSON `\ud800` escapes) and request bodies that are not valid UTF-8.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ApiErrorBody } from "../../workers/api-types.ts";
import { ERROR_SOURCE_HEADER } from "../../workers/platform-headers.ts";
import { api, createSnippet, ORIGIN } from "./api-client.ts";

async function expectBadRequest(response: Response, code: string): Promise<ApiErrorBody["error"]> {
  expect(response.status).toBe(400);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get(ERROR_SOURCE_HEADER)).toBe("platform");
  const body: ApiErrorBody = await response.json();
  expect(body.error.code).toBe(code);
  return body.error;
}

/** How many stored versions contain `marker` (replaced text would still contain it). */
async function versionsContaining(marker: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM versions WHERE instr(code, ?) > 0")
    .bind(marker)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** JSON text (not a JS value: `JSON.stringify` would escape it differently) with `jsonEscape` in a field. */
function jsonWith(field: "code" | "title", marker: string, jsonEscape: string): string {
  const code = field === "code" ? `${marker}${jsonEscape}` : marker;
  const title = field === "title" ? `,"title":"t${jsonEscape}"` : "";
  return `{"language":"python","code":"def handler(r):\\n    return '${code}'\\n"${title}}`;
}

describe("lone surrogates in API strings", () => {
  it.each([
    ["code", "\\ud800"],
    ["code", "\\udfff"],
    ["code", "a\\udc00b"],
    ["code", "\\ude00\\ud83d"],
    ["title", "\\ud800"],
  ] as const)("POST refuses %s with %s, storing nothing", async (field, jsonEscape) => {
    const marker = `m${crypto.randomUUID().replaceAll("-", "")}`;
    const error = await expectBadRequest(
      await api("POST", "/api/snippets", { body: jsonWith(field, marker, jsonEscape) }),
      "invalid_body",
    );
    expect(error.message).toMatch(/surrogate/);
    expect(await versionsContaining(marker)).toBe(0);
  });

  it.each([
    ["description", '"description":"d\\ud800"'],
    [
      "the saved request's path",
      '"request":{"method":"GET","path":"/\\udc00","query":[],"headers":[],"body":"","bodyEncoding":"text"}',
    ],
    [
      "a saved header's value",
      '"request":{"method":"GET","path":"/","query":[],"headers":[{"enabled":true,"name":"x-a","value":"\\ud800"}],"body":"","bodyEncoding":"text"}',
    ],
    [
      "a saved query row's name",
      '"request":{"method":"GET","path":"/","query":[{"enabled":true,"name":"\\udfff","value":"1"}],"headers":[],"body":"","bodyEncoding":"text"}',
    ],
    [
      "the saved request's body",
      '"request":{"method":"POST","path":"/","query":[],"headers":[],"body":"b\\ud83d","bodyEncoding":"text"}',
    ],
  ] as const)("POST refuses %s with a lone surrogate, storing nothing", async (_, field) => {
    const marker = `m${crypto.randomUUID().replaceAll("-", "")}`;
    const body = `{"language":"python","code":"def handler(r):\\n    return '${marker}'\\n",${field}}`;
    const error = await expectBadRequest(
      await api("POST", "/api/snippets", { body }),
      "invalid_body",
    );
    expect(error.message).toMatch(/surrogate/);
    expect(await versionsContaining(marker)).toBe(0);
  });

  it("accepts a well-formed surrogate pair (an emoji) as escapes", async () => {
    const marker = `m${crypto.randomUUID().replaceAll("-", "")}`;
    const response = await api("POST", "/api/snippets", {
      body: jsonWith("code", marker, "\\ud83d\\ude00"),
    });
    expect(response.status).toBe(201);
    const { code } = (await response.json()) as { code: string };
    expect(code).toContain(`${marker}\u{1F600}`);
  });

  it("PUT refuses code and title with lone surrogates; the snippet keeps its one version", async () => {
    const created = await createSnippet();
    for (const body of ['{"code":"x = 1\\ud800"}', '{"code":"x = 1","title":"\\udbff"}']) {
      const response = await api("PUT", `/api/snippets/${created.id}`, {
        token: created.token,
        body,
      });
      await expectBadRequest(response, "invalid_body");
    }
    const versions = await api("GET", `/api/snippets/${created.id}/versions`);
    expect(((await versions.json()) as { versions: unknown[] }).versions).toHaveLength(1);
  });

  it("fork refuses a title with a lone surrogate", async () => {
    const created = await createSnippet();
    const response = await api("POST", `/api/snippets/${created.id}/fork`, {
      body: '{"title":"\\ud800"}',
    });
    await expectBadRequest(response, "invalid_body");
  });
});

describe("request bodies that are not valid UTF-8", () => {
  it.each([
    ["a lone continuation byte", [0x80]],
    ["an overlong encoding of '/'", [0xc0, 0xaf]],
    ["a UTF-8-encoded surrogate (CESU-8)", [0xed, 0xa0, 0x80]],
    ["a truncated sequence", [0xe2, 0x82]],
    ["Latin-1 é", [0xe9]],
  ])("refuses %s inside a JSON string with 400, storing nothing", async (_kind, bytes) => {
    const marker = `m${crypto.randomUUID().replaceAll("-", "")}`;
    const encoder = new TextEncoder();
    const body = new Uint8Array([
      ...encoder.encode(`{"language":"python","code":"${marker}`),
      ...bytes,
      ...encoder.encode('"}'),
    ]);
    const response = await exports.default.fetch(`${ORIGIN}/api/snippets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    const error = await expectBadRequest(response, "invalid_json");
    expect(error.message).toMatch(/UTF-8/);
    expect(await versionsContaining(marker)).toBe(0);
  });
});
