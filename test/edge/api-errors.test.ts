import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ApiErrorBody } from "../../workers/api-types.ts";
import { LIMITS } from "../../workers/limits.ts";
import { ERROR_SOURCE_HEADER } from "../../workers/platform-headers.ts";
import { api, createSnippet, ORIGIN, PYTHON_HELLO } from "./api-client.ts";

/** Asserts a JSON error response from the platform and returns its body. */
async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get(ERROR_SOURCE_HEADER)).toBe("platform");
  const body: ApiErrorBody = await response.json();
  expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
  return body.error;
}

const issuePaths = (details: unknown) =>
  (details as { issues: { path: string }[] }).issues.map((issue) => issue.path);

describe("request bodies", () => {
  it("refuses malformed JSON with 400", async () => {
    const error = await expectError(
      await api("POST", "/api/snippets", { body: '{"language": "python", code' }),
      400,
      "invalid_json",
    );
    expect(error.message).toMatch(/not valid JSON/);
  });

  it("lists every missing field", async () => {
    const error = await expectError(
      await api("POST", "/api/snippets", { body: {} }),
      400,
      "invalid_body",
    );
    expect(issuePaths(error.details).sort()).toEqual(["code", "language"]);
  });

  it("refuses a language other than python or typescript", async () => {
    const error = await expectError(
      await api("POST", "/api/snippets", { body: { language: "ruby", code: "puts 1" } }),
      400,
      "invalid_body",
    );
    expect(issuePaths(error.details)).toEqual(["language"]);
    expect(error.message).toMatch(/python/);
  });

  it("refuses empty code and a non-object body", async () => {
    await expectError(
      await api("POST", "/api/snippets", { body: { language: "python", code: "" } }),
      400,
      "invalid_body",
    );
    await expectError(await api("POST", "/api/snippets", { body: "[1, 2]" }), 400, "invalid_body");
  });

  it("accepts code up to the limit and answers 413 above it, counting UTF-8 bytes", async () => {
    const atLimit = `#${"x".repeat(LIMITS.codeBytes - 1)}`;
    expect((await createSnippet({ code: atLimit })).code.length).toBe(LIMITS.codeBytes);

    const overLimit = `#${"é".repeat(LIMITS.codeBytes / 2)}`; // fewer characters than the limit
    const error = await expectError(
      await api("POST", "/api/snippets", { body: { language: "python", code: overLimit } }),
      413,
      "payload_too_large",
    );
    expect(error.details).toEqual({ size: LIMITS.codeBytes + 1, limit: LIMITS.codeBytes });
    // In sizes a person reads, the bytes beside them.
    expect(error.message).toBe(
      "Code is 256.0 KB (262,145 bytes); the limit is 256 KB (262,144 bytes)",
    );
  });

  it("answers 413 for a JSON body over the limit that declares no length", async () => {
    const huge = new TextEncoder().encode(
      `{"language":"python","code":"${"x".repeat(2_000_000)}"}`,
    );
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < huge.length; at += 65_536)
          controller.enqueue(huge.slice(at, at + 65_536));
        controller.close();
      },
    });
    const response = await exports.default.fetch(`${ORIGIN}/api/snippets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: chunked,
    });
    await expectError(response, 413, "payload_too_large");
  });

  it("answers 413 for an update over the limit and keeps the saved version", async () => {
    const created = await createSnippet();
    const response = await api("PUT", `/api/snippets/${created.id}`, {
      token: created.token,
      body: { code: "x".repeat(LIMITS.codeBytes + 1) },
    });
    await expectError(response, 413, "payload_too_large");
    const read = await (await api("GET", `/api/snippets/${created.id}`)).json();
    expect(read).toMatchObject({ version: 1, code: PYTHON_HELLO });
  });

  it("refuses a title over the limit with 400", async () => {
    await createSnippet({ title: "t".repeat(LIMITS.titleChars) });
    const error = await expectError(
      await api("POST", "/api/snippets", {
        body: { language: "python", code: PYTHON_HELLO, title: "t".repeat(LIMITS.titleChars + 1) },
      }),
      400,
      "invalid_body",
    );
    expect(issuePaths(error.details)).toEqual(["title"]);
  });

  it("refuses TypeScript that does not compile, naming the line, and stores nothing", async () => {
    const broken = "export default function handler() {\n  const x = ;\n}\n";
    const error = await expectError(
      await api("POST", "/api/snippets", { body: { language: "typescript", code: broken } }),
      422,
      "compile_error",
    );
    expect(error.details).toMatchObject({ line: 2 });

    const created = await createSnippet({
      language: "typescript",
      code: "export default () => 1;",
    });
    const update = await api("PUT", `/api/snippets/${created.id}`, {
      token: created.token,
      body: { code: broken },
    });
    expect((await expectError(update, 422, "compile_error")).message).toMatch(/^Line 2:/);
    const read = await (await api("GET", `/api/snippets/${created.id}`)).json();
    expect(read).toMatchObject({ version: 1 });
  });
});

describe("ids and tokens", () => {
  it("answers 404 for an unknown or malformed id", async () => {
    await expectError(await api("GET", "/api/snippets/AAAAAAAAAA"), 404, "not_found");
    await expectError(await api("GET", "/api/snippets/not-an-id!"), 404, "not_found");
    await expectError(await api("GET", "/api/snippets/AAAAAAAAAA/versions"), 404, "not_found");
    await expectError(await api("POST", "/api/snippets/AAAAAAAAAA/fork"), 404, "not_found");
  });

  it("answers 404 for a version that does not exist and 400 for one that cannot", async () => {
    const created = await createSnippet();
    const base = `/api/snippets/${created.id}`;
    await expectError(await api("GET", `${base}/versions/2`), 404, "not_found");
    await expectError(await api("GET", `${base}/versions/0`), 400, "bad_request");
    await expectError(await api("GET", `${base}/versions/1.5`), 400, "bad_request");
    await expectError(await api("GET", `${base}/versions/0x1`), 400, "bad_request");
    await expectError(
      await api("POST", `${base}/fork`, { body: { version: 9 } }),
      404,
      "not_found",
    );
    // A body names versions in the same range as a URL (`id@N`, at most nine digits).
    for (const version of [0, 1.5, 1_000_000_000, 2 ** 53]) {
      const fork = await api("POST", `${base}/fork`, { body: { version } });
      const { details } = await expectError(fork, 400, "invalid_body");
      expect(new Set(issuePaths(details))).toEqual(new Set(["version"]));
      const freeze = await api("PUT", `${base}/freeze`, {
        token: created.token,
        body: { version },
      });
      await expectError(freeze, 400, "invalid_body");
    }
  });

  it("answers 401 without a token and 403 with a wrong one, changing nothing", async () => {
    const created = await createSnippet();
    const path = `/api/snippets/${created.id}`;
    const edit = { body: { code: "x = 1" } };

    const missing = await api("PUT", path, edit);
    await expectError(missing, 401, "unauthorized");
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    await expectError(
      await api("PUT", path, { ...edit, headers: { authorization: created.token } }),
      401,
      "unauthorized",
    );
    await expectError(await api("DELETE", path), 401, "unauthorized");

    const other = await createSnippet();
    await expectError(await api("PUT", path, { ...edit, token: other.token }), 403, "forbidden");
    await expectError(await api("DELETE", path, { token: `${created.token}x` }), 403, "forbidden");
    expect(await (await api("GET", path)).json()).toMatchObject({ version: 1 });
  });

  it("answers JSON 404 for unknown API routes", async () => {
    await expectError(await api("GET", "/api/nothing-here"), 404, "not_found");
    await expectError(await api("PATCH", "/api/snippets"), 404, "not_found");
  });
});
