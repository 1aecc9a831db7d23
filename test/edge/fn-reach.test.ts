/**
 * What of the app a snippet's isolate can reach (see edge/sandbox/README.md, "What a snippet can
 * reach"): nothing but plain data in, plain data out, and fetch through the outbound guard.
 */
import { describe, expect, it } from "vitest";
import { ERROR_SOURCE_HEADER } from "../../workers/platform-headers.ts";
import { callEndpoint, saveSnippet } from "./fn-client.ts";

/** The parent's binding and entrypoint names (wrangler.jsonc, test bindings, edge/index.ts). */
const PARENT_NAMES = ["DB", "ASSETS", "LOADER", "TEST_MIGRATIONS", "OutboundGuard"];

describe("what a snippet's isolate can see", () => {
  it("has an empty env, no parent bindings among its globals, and only its own exports", async () => {
    const id = await saveSnippet(
      "typescript",
      `import * as workers from "cloudflare:workers";
export default {
  fetch(_req: Request, env: object, ctx: object) {
    return {
      moduleEnv: Object.keys(workers.env),
      handlerEnv: Object.keys(env),
      ctx: Object.keys(ctx).sort(),
      exports: Object.keys(workers.exports ?? {}),
      globals: Object.getOwnPropertyNames(globalThis),
    };
  },
};
`,
    );
    const response = await callEndpoint(id);
    expect(response.status).toBe(200);
    const seen: Record<string, string[]> = await response.json();
    expect(seen.moduleEnv).toEqual([]);
    expect(seen.handlerEnv).toEqual([]);
    expect(seen.ctx).toEqual(["passThroughOnException", "waitUntil"]);
    for (const name of PARENT_NAMES) {
      expect(seen.globals).not.toContain(name);
      expect(seen.exports).not.toContain(name);
    }
    // The isolate's own entrypoint only, which refuses its calls (fn-self-call.test.ts).
    expect(seen.exports).toEqual(["default"]);
  });

  it("cannot use a TCP socket (connect() goes through the outbound guard, which closes it)", async () => {
    const id = await saveSnippet(
      "typescript",
      `import { connect } from "cloudflare:sockets";
export default async () => {
  const results: string[] = [];
  for (const address of ["127.0.0.1:8787", "fnpad.test:443", "example.com:80"]) {
    try {
      const socket = connect(address);
      const writer = socket.writable.getWriter();
      await writer.write(new TextEncoder().encode("GET / HTTP/1.1\\r\\nhost: x\\r\\n\\r\\n"));
      const { value } = await socket.readable.getReader().read();
      results.push(address + ": read " + (value?.byteLength ?? 0) + " bytes");
    } catch (error) {
      results.push(address + ": " + String(error));
    }
  }
  return results;
};
`,
    );
    const response = await callEndpoint(id);
    expect(response.status).toBe(200);
    const results: string[] = await response.json();
    for (const result of results) expect(result).toMatch(/: Error: /);
  });
});

describe("what the parent accepts back", () => {
  it("refuses a response carrying functions (RPC stubs) with a 502, and never calls them", async () => {
    const id = await saveSnippet(
      "typescript",
      `const calls: string[] = ((globalThis as any).calls ??= []);
const trap = () => { calls.push("called"); return "x"; };
export default (req: Request) => {
  if (new URL(req.url).pathname === "/calls") return calls;
  const fake = Object.create(Response.prototype, {
    status: { get: () => 200 },
    headers: { get: () => [["x-trap", trap], ["x-ok", "1"]] },
    arrayBuffer: { value: async () => new ArrayBuffer(2) },
  });
  return fake;
};
`,
    );
    const response = await callEndpoint(id);
    expect(response.status).toBe(502);
    expect(response.headers.get(ERROR_SOURCE_HEADER)).toBe("platform");
    expect(await response.json()).toMatchObject({
      error: { message: expect.stringMatching(/headers are not pairs of strings/) },
    });
    expect(await (await callEndpoint(id, "/calls")).json()).toEqual([]);
  });

  it("refuses a status that is not a number with a 502", async () => {
    const id = await saveSnippet(
      "typescript",
      `export default () => Object.create(Response.prototype, {
  status: { get: () => ({ valueOf: () => 200 }) },
  headers: { get: () => [] },
  arrayBuffer: { value: async () => new ArrayBuffer(0) },
});
`,
    );
    const response = await callEndpoint(id);
    expect(response.status).toBe(502);
    expect(response.headers.get(ERROR_SOURCE_HEADER)).toBe("platform");
  });
});
