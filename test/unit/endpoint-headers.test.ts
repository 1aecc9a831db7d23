/** The allow-list of response headers that leave an endpoint. */
import { describe, expect, it } from "vitest";
import {
  endpointHeaders,
  isEndpointHeader,
  SANDBOX_CSP,
  sandboxed,
} from "../../edge/sandbox/response-headers.ts";
import {
  ERROR_SOURCE_HEADER,
  REDIRECT_STATUS_HEADER,
  REQUEST_ECHO_HEADER,
} from "../../workers/platform-headers.ts";
import { DROPPED_HEADERS, KEPT_HEADERS } from "../fixtures/policy/endpoint-headers.ts";

describe("endpoint response headers", () => {
  it.each(DROPPED_HEADERS)("drops %s", (name) => {
    expect(isEndpointHeader(name)).toBe(false);
    expect(isEndpointHeader(name.toUpperCase())).toBe(false);
  });

  it.each(KEPT_HEADERS)("keeps %s", (name) => {
    expect(isEndpointHeader(name)).toBe(true);
    expect(isEndpointHeader(name.toUpperCase())).toBe(true);
  });

  it("leaves framing to the runtime", () => {
    for (const name of ["content-length", "transfer-encoding", "content-encoding", "connection"]) {
      expect(isEndpointHeader(name)).toBe(false);
    }
  });

  it("keeps the error marker the glue in the isolate sets, and no other x-fnpad- name", () => {
    expect(isEndpointHeader(ERROR_SOURCE_HEADER)).toBe(true);
    expect(isEndpointHeader("x-fnpad-other")).toBe(false);
  });

  it("keeps the order and repeats of the headers it lets through", () => {
    const headers: [string, string][] = [
      ["x-a", "1"],
      ["set-cookie", "a=1"],
      ["content-type", "text/plain"],
      ["x-a", "2"],
    ];
    expect(endpointHeaders(headers)).toEqual([
      ["x-a", "1"],
      ["content-type", "text/plain"],
      ["x-a", "2"],
    ]);
  });

  it("sandbox every response: in place, after a handler's own CSP, and on a copy when headers are immutable", () => {
    const own = new Response("hi", {
      headers: { "content-security-policy": "default-src 'none'" },
    });
    const protectedOwn = sandboxed(own, [["x-a", "1"]]);
    expect(protectedOwn).toBe(own);
    expect(own.headers.get("content-security-policy")).toBe(`default-src 'none', ${SANDBOX_CSP}`);
    expect(own.headers.get("x-content-type-options")).toBe("nosniff");
    expect(JSON.parse(decodeURIComponent(own.headers.get(REQUEST_ECHO_HEADER) ?? ""))).toEqual([
      ["x-a", "1"],
    ]);

    // `Response.redirect` gives headers that cannot be changed: they would throw.
    const immutable = Response.redirect("https://fnpad.test/elsewhere", 302);
    expect(() => immutable.headers.set("x-b", "1")).toThrow(TypeError);
    const copy = sandboxed(immutable);
    expect(copy).not.toBe(immutable);
    expect(copy.status).toBe(302);
    expect(copy.headers.get("location")).toBe("https://fnpad.test/elsewhere");
    expect(copy.headers.get("content-security-policy")).toBe(SANDBOX_CSP);
    expect(copy.headers.has(REQUEST_ECHO_HEADER)).toBe(false);
  });

  it("answers a redirect readable to the page's Run at edge only: a 200 that carries its status", () => {
    const redirect = () => Response.redirect("https://fnpad.test/login", 307);
    const forPage = sandboxed(redirect(), [["accept", "*/*"]]);
    expect(forPage.status).toBe(200);
    expect(forPage.headers.get(REDIRECT_STATUS_HEADER)).toBe("307");
    expect(forPage.headers.get("location")).toBe("https://fnpad.test/login");
    expect(forPage.headers.get("content-security-policy")).toBe(SANDBOX_CSP);
    expect(forPage.headers.has(REQUEST_ECHO_HEADER)).toBe(true);
    // Everyone else (curl, a browser following it) gets the redirect as it is.
    const forOthers = sandboxed(redirect());
    expect(forOthers.status).toBe(307);
    expect(forOthers.headers.has(REDIRECT_STATUS_HEADER)).toBe(false);
    // A 304 or 300 is not followed by fetch: it stays as it is for the page too.
    const notModified = sandboxed(new Response(null, { status: 304 }), []);
    expect(notModified.status).toBe(304);
  });
});
