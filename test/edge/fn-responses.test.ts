/**
 * What leaves an endpoint, whatever the handler (or code patching the isolate's glue) tries: the
 * sandbox headers on every `/fn` response, only allow-listed headers, and no body over the cap.
 */

import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../workers/limits.ts";
import {
  ECHO_REQUEST_HEADER,
  ERROR_SOURCE_HEADER,
  REQUEST_ECHO_HEADER,
} from "../../workers/platform-headers.ts";
import { DROPPED_HEADERS, KEPT_HEADERS } from "../fixtures/policy/endpoint-headers.ts";
import { ORIGIN } from "./api-client.ts";
import { callEndpoint, saveSnippet } from "./fn-client.ts";
import { saveBusySnippet } from "./limits-client.ts";

/** Asserts the headers that keep an endpoint's content away from the app's origin. */
function expectSandboxed(response: Response): void {
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp).toMatch(/(^|, )sandbox /);
  expect(csp).not.toMatch(/allow-same-origin/);
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
}

async function expectPlatformError(response: Response, status: number): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get(ERROR_SOURCE_HEADER)).toBe("platform");
  expectSandboxed(response);
  await response.arrayBuffer();
}

/** A TS handler that answers with the header pairs it is sent as JSON. */
const HEADER_ECHO = `export default async (req: Request) =>
  new Response("ok", { headers: await req.json() });
`;

describe("handler headers pass through an allow-list", () => {
  let id: string | undefined;
  async function respondWith(headers: [string, string][]): Promise<Response> {
    id ??= await saveBusySnippet("typescript", HEADER_ECHO);
    return callEndpoint(id, "/", { method: "POST", body: JSON.stringify(headers) });
  }

  it.each(DROPPED_HEADERS)("drops %s", async (name, value) => {
    const response = await respondWith([[name, value]]);
    expect(response.status).toBe(200);
    expect(response.headers.get(name)).toBeNull();
    expectSandboxed(response);
    expect(await response.text()).toBe("ok");
  });

  it.each(KEPT_HEADERS)("keeps %s", async (name, value) => {
    const response = await respondWith([[name, value]]);
    expect(response.status).toBe(200);
    expect(response.headers.get(name)).toBe(value);
    expectSandboxed(response);
  });
});

describe("the sandbox headers are on every /fn response", () => {
  it.each(["/fn", "/fn/", "/fn/x", "/fn/x/", "/fn/nope000000/a/b", "/fn/bad$id/x", "/fn/x@0/"])(
    "%s (fnpad's own 404)",
    async (path) => {
      const response = await exports.default.fetch(`${ORIGIN}${path}`);
      await expectPlatformError(response, 404);
    },
  );

  it("413, 500 from the handler, and 503 from a runaway loop", async () => {
    const echo = await saveSnippet("typescript", "export default () => 'fine';\n");
    const tooBig = new Uint8Array(LIMITS.requestBodyBytes + 1);
    await expectPlatformError(await callEndpoint(echo, "/", { method: "POST", body: tooBig }), 413);

    const throwing = await saveSnippet(
      "typescript",
      "export default () => { throw new Error('x'); };\n",
    );
    const failed = await callEndpoint(throwing);
    expect(failed.status).toBe(500);
    expect(failed.headers.get(ERROR_SOURCE_HEADER)).toBe("handler");
    expectSandboxed(failed);

    const runaway = await saveSnippet("typescript", "export default () => { while (true) {} };\n");
    await expectPlatformError(await callEndpoint(runaway), 503);
  }, 60_000);
});

describe("the response size cap is the parent's", () => {
  it("answers 502 for 20 MiB sent after the handler redefined TypedArray byteLength", async () => {
    const id = await saveSnippet(
      "typescript",
      `export default () => {
  const body = new Uint8Array(20 * 1024 * 1024).fill(65);
  const typedArray = Object.getPrototypeOf(Uint8Array.prototype);
  Object.defineProperty(typedArray, "byteLength", { get: () => 1, configurable: true });
  return new Response(body);
};
`,
    );
    const response = await callEndpoint(id);
    await expectPlatformError(response, 502);
  }, 60_000);

  it("still sends a body right at the cap", async () => {
    const id = await saveSnippet(
      "typescript",
      `export default () => new Uint8Array(${LIMITS.responseBodyBytes});\n`,
    );
    const response = await callEndpoint(id);
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(LIMITS.responseBodyBytes);
  }, 60_000);
});

describe("text a handler returns is sent as it is, or refused", () => {
  it("answers the handler's 500 for a string with a lone surrogate, not U+FFFD", async () => {
    const id = await saveSnippet("typescript", 'export default () => "a\\ud800b";\n');
    const response = await callEndpoint(id);
    expect(response.status).toBe(500);
    expect(response.headers.get(ERROR_SOURCE_HEADER)).toBe("handler");
    expectSandboxed(response);
    expect(await response.json()).toMatchObject({
      error: { type: "TypeError", message: expect.stringMatching(/lone surrogate/) },
    });
  });
});

describe("Run at edge asks which headers the handler got", () => {
  const REQUEST_ECHO = "export default (req: Request) => Response.json([...req.headers]);\n";

  it("answers with them when asked, without the marker reaching the handler", async () => {
    const id = await saveSnippet("typescript", REQUEST_ECHO);
    const headers = { "x-custom": "é", [ECHO_REQUEST_HEADER]: "1" };
    const response = await callEndpoint(id, "/", { headers });
    const seen = (await response.json()) as [string, string][];
    expect(seen).toContainEqual(["x-custom", "é"]);
    expect(seen.map(([name]) => name)).not.toContain(ECHO_REQUEST_HEADER);
    const echoed = JSON.parse(decodeURIComponent(response.headers.get(REQUEST_ECHO_HEADER) ?? ""));
    expect(echoed).toEqual(seen);
    expectSandboxed(response);
  });

  it("sends nothing of the kind unasked", async () => {
    const id = await saveSnippet("typescript", REQUEST_ECHO);
    const response = await callEndpoint(id);
    expect(response.headers.has(REQUEST_ECHO_HEADER)).toBe(false);
    await response.arrayBuffer();
  });
});
