/**
 * How the JSON API reads a body whatever its content type says: JSON sent as a form (`curl -d`),
 * as text or untyped is read as JSON, never validated as `{}`; an empty body is `{}` only where a
 * route says so; size and UTF-8 are checked the same way for every type.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ApiErrorBody } from "../../workers/api-types.ts";
import { LIMITS } from "../../workers/limits.ts";
import { ERROR_SOURCE_HEADER } from "../../workers/platform-headers.ts";
import { createSnippet, ORIGIN, PYTHON_HELLO } from "./api-client.ts";

/** Sends `body` as it is, with exactly the given headers (no content type unless one is given). */
function send(method: string, path: string, body: BodyInit | null, headers = {}) {
  return exports.default.fetch(`${ORIGIN}${path}`, { method, headers, body });
}

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get(ERROR_SOURCE_HEADER)).toBe("platform");
  const body: ApiErrorBody = await response.json();
  expect(body.error.code).toBe(code);
  return body.error;
}

const snippetJson = JSON.stringify({ language: "python", code: PYTHON_HELLO, title: "typed" });

describe("content types", () => {
  it.each([
    ["no content type", {}],
    ["a form type (curl -d)", { "content-type": "application/x-www-form-urlencoded" }],
    ["text/plain", { "content-type": "text/plain;charset=UTF-8" }],
    ["a JSON type with parameters", { "content-type": "application/json; charset=utf-8" }],
  ])("reads JSON sent with %s", async (_kind, headers) => {
    const response = await send("POST", "/api/snippets", snippetJson, headers);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ title: "typed", code: PYTHON_HELLO });
  });

  it("a fork sent as text/plain forks the version it names, not the latest", async () => {
    const { id, token } = await createSnippet();
    const update = JSON.stringify({ code: "x = 2" });
    expect((await send("PUT", `/api/snippets/${id}`, update, bearer(token))).status).toBe(200);
    const fork = await send("POST", `/api/snippets/${id}/fork`, '{"version": 1}', {
      "content-type": "text/plain",
    });
    expect(fork.status).toBe(201);
    expect(await fork.json()).toMatchObject({ code: PYTHON_HELLO });
    const missing = send("POST", `/api/snippets/${id}/fork`, '{"version": 9}', {});
    await expectError(await missing, 404, "not_found");
  });

  it("refuses bytes that are not UTF-8 whatever the type says", async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"language":"python","code":"'),
      0xe9,
      0x22,
      0x7d,
    ]);
    for (const headers of [{}, { "content-type": "text/plain; charset=latin1" }]) {
      const error = await expectError(
        await send("POST", "/api/snippets", bytes, headers),
        400,
        "invalid_json",
      );
      expect(error.message).toMatch(/UTF-8/);
    }
  });

  it("accepts a UTF-8 byte order mark before the JSON", async () => {
    const response = await send("POST", "/api/snippets", `\ufeff${snippetJson}`, {});
    expect(response.status).toBe(201);
  });
});

describe("empty bodies", () => {
  it("fork and freeze take an empty body as {}", async () => {
    const { id, token } = await createSnippet();
    for (const body of [null, "", "  \n"]) {
      expect((await send("POST", `/api/snippets/${id}/fork`, body)).status).toBe(201);
      const frozen = await send("PUT", `/api/snippets/${id}/freeze`, body, bearer(token));
      expect(await frozen.json()).toMatchObject({ frozenVersion: 1 });
    }
  });

  it("create, update, limits and env refuse one as JSON that is not valid", async () => {
    const { id, token } = await createSnippet();
    for (const [method, path] of [
      ["POST", "/api/snippets"],
      ["PUT", `/api/snippets/${id}`],
      ["PUT", `/api/snippets/${id}/limits`],
      ["PUT", `/api/snippets/${id}/env/NAME`],
    ] as const) {
      const error = await expectError(
        await send(method, path, "", bearer(token)),
        400,
        "invalid_json",
      );
      expect(error.message).toMatch(/not valid JSON/);
    }
  });
});

describe("the body size limit", () => {
  const limit = LIMITS.codeBytes * 6 + 64 * 1024;
  const oversized = () => `{"language":"python","code":"#${"x".repeat(limit)}"}`;

  it("answers 413 as JSON for a declared length over the limit, on every route", async () => {
    const { id, token } = await createSnippet();
    for (const [method, path] of [
      ["POST", "/api/snippets"],
      ["PUT", `/api/snippets/${id}/env/NAME`],
      ["PUT", `/api/snippets/${id}/limits`],
      ["POST", `/api/snippets/${id}/fork`],
    ] as const) {
      const error = await expectError(
        await send(method, path, oversized(), bearer(token)),
        413,
        "payload_too_large",
      );
      expect(error.details).toEqual({ limit });
    }
  });

  it("counts a chunked body to an env value too", async () => {
    const { id, token } = await createSnippet();
    const bytes = new TextEncoder().encode(oversized());
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 65_536)
          controller.enqueue(bytes.slice(at, at + 65_536));
        controller.close();
      },
    });
    const response = await send("PUT", `/api/snippets/${id}/env/NAME`, chunked, bearer(token));
    expect((await expectError(response, 413, "payload_too_large")).details).toEqual({ limit });
  });
});

function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}
