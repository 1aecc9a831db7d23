/** Serialisation between the Fetch API and the wire shapes, and the error responses. */
import { describe, expect, it } from "vitest";
import { PLACEHOLDER_CF } from "../../workers/cf.ts";
import {
  handlerErrorResponse,
  platformErrorResponse,
  requestToWire,
  responseToWire,
  wireRequest,
  wireToRequest,
  wireToResponse,
} from "../../workers/http.ts";
import { ERROR_SOURCE_HEADER } from "../../workers/platform-headers.ts";
import { responseJson } from "./request.ts";

const everyByte = Uint8Array.from({ length: 256 }, (_, index) => index);

describe("requests", () => {
  it("round-trip with binary bodies, repeated headers and the relative path", async () => {
    const headers = new Headers([
      ["X-Tag", "a"],
      ["x-tag", "b"],
      ["Content-Type", "application/octet-stream"],
    ]);
    const original = new Request("https://fnpad.test/fn/abc/users/7?x=1&x=2", {
      method: "post",
      headers,
      body: everyByte,
    });
    const wire = await requestToWire(original, "/users/7");
    expect(wire).toMatchObject({ method: "POST", path: "/users/7", query: "x=1&x=2" });
    expect(wire.body).toEqual(everyByte);
    expect(new Headers(wire.headers).get("x-tag")).toBe("a, b");

    const rebuilt = wireToRequest(wire);
    expect(rebuilt.url).toBe("https://fnpad.test/users/7?x=1&x=2");
    expect(rebuilt.method).toBe("POST");
    expect(rebuilt.headers.get("X-TAG")).toBe("a, b");
    expect(new Uint8Array(await rebuilt.arrayBuffer())).toEqual(everyByte);
  });

  it("never turns a path into a host", () => {
    const wire = {
      method: "GET",
      url: "https://fnpad.test/fn/a//evil.example/x",
      path: "//evil.example/x",
      query: "",
      headers: [],
      body: new Uint8Array(),
    };
    const url = new URL(wireToRequest(wire).url);
    expect(url.host).toBe("fnpad.test");
    expect(url.pathname).toBe("//evil.example/x");
  });

  it("carry the platform's cf as plain data; handlers get it as it is, else the placeholder", async () => {
    const platform = {
      country: "DE",
      asn: 3320,
      tlsClientAuth: { certPresented: "0" },
      f: () => 1,
    };
    const wire = await requestToWire(new Request("https://fnpad.test/fn/a/x"), "/x", platform);
    expect(wire.cf).toEqual({ country: "DE", asn: 3320, tlsClientAuth: { certPresented: "0" } });
    const cf = (wireToRequest(wire) as Request & { cf: Record<string, unknown> }).cf;
    // Fields the platform left out stay out (no placeholder `city` for a caller Cloudflare could not place).
    expect(cf).toEqual({ country: "DE", asn: 3320, tlsClientAuth: { certPresented: "0" } });

    const browser = await requestToWire(new Request("https://fnpad.test/fn/a/x"), "/x");
    expect(browser.cf).toBeUndefined();
    expect((wireToRequest(browser) as Request & { cf: unknown }).cf).toEqual(PLACEHOLDER_CF);
    // Cloudflare sets `isEUCountry` only inside the EU; a "0" would read as true.
    expect(PLACEHOLDER_CF).not.toHaveProperty("isEUCountry");
  });

  it("drop bodies of GET requests", async () => {
    const wire = await requestToWire(new Request("https://fnpad.test/fn/a"), "");
    expect(wire.path).toBe("/");
    expect(wire.body.byteLength).toBe(0);
  });

  it("from parts read already (the edge's body, read within its cap), as requestToWire makes them", async () => {
    const url = "https://fnpad.test/fn/abc/users/7?x=1";
    const headers: [string, string][] = [["x-tag", "a"]];
    const parts = { url, path: "users/7", headers, body: everyByte };
    const fromParts = wireRequest({ ...parts, method: "patch" });
    const fromRequest = await requestToWire(
      new Request(url, { method: "PATCH", headers, body: everyByte }),
      "users/7",
    );
    expect(fromParts).toEqual(fromRequest);
    expect(fromParts).toMatchObject({ method: "PATCH", path: "/users/7", query: "x=1" });
    expect(wireRequest({ ...parts, method: "HEAD" }).body.byteLength).toBe(0);
    expect(wireRequest({ ...parts, method: "POST", body: null }).body.byteLength).toBe(0);
  });
});

describe("responses", () => {
  it("round-trip with binary bodies and repeated set-cookie headers", async () => {
    const headers = new Headers({ "content-type": "image/png" });
    headers.append("set-cookie", "a=1");
    headers.append("set-cookie", "b=2");
    const wire = await responseToWire(new Response(everyByte, { status: 201, headers }));
    expect(wire.status).toBe(201);
    expect(wire.headers.filter(([name]) => name === "set-cookie")).toHaveLength(2);
    expect(wire.body).toEqual(everyByte);

    const rebuilt = wireToResponse(wire);
    expect(rebuilt.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(new Uint8Array(await rebuilt.arrayBuffer())).toEqual(everyByte);
  });

  it("drop the body of a 204", () => {
    const response = wireToResponse({ status: 204, headers: [], body: new Uint8Array([1]) });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });
});

describe("error responses", () => {
  it("mark handler errors as the handler's", () => {
    const wire = handlerErrorResponse({
      type: "ValueError",
      message: "bad",
      traceback: "tb",
      line: 3,
    });
    expect(wire.status).toBe(500);
    expect(new Headers(wire.headers).get(ERROR_SOURCE_HEADER)).toBe("handler");
    expect(responseJson(wire.body)).toEqual({
      error: { type: "ValueError", message: "bad", traceback: "tb", line: 3 },
      source: "handler",
    });
  });

  it("mark platform errors as the platform's", () => {
    const wire = platformErrorResponse(413, "too big");
    expect(wire.status).toBe(413);
    expect(new Headers(wire.headers).get(ERROR_SOURCE_HEADER)).toBe("platform");
    expect(responseJson(wire.body)).toMatchObject({
      error: { message: "too big" },
      source: "platform",
    });
  });
});
