import { describe, expect, test } from "vitest";
import { DEFAULT_DRAFT, toWireRequest, wirePath } from "../../web/src/request-draft.ts";
import { LIMITS } from "../../workers/limits.ts";
import { BUILDER_PATHS } from "../fixtures/builder-paths.ts";

const withPath = (path: string) => ({ ...DEFAULT_DRAFT, query: [], path });

describe("the path a handler sees from the request builder", () => {
  // That the edge hands a handler these same paths is checked in the workerd tests.
  test.each(BUILDER_PATHS)("%s is sent as %s, as fetch and curl send it", (typed, sent) => {
    expect(wirePath(withPath(typed))).toBe(sent);
  });

  test("the wire request's path and url agree", () => {
    const wire = toWireRequest(
      { ...withPath("/a b"), query: [{ enabled: true, name: "q", value: "1 2" }] },
      "http://host/fn/abc",
    );
    expect(wire.path).toBe("/a%20b");
    expect(wire.query).toBe("q=1+2");
    expect(wire.url).toBe("http://host/fn/abc/a%20b?q=1+2");
  });
});

describe("a body larger than an endpoint accepts", () => {
  const post = (body: string) => ({ ...DEFAULT_DRAFT, method: "POST", body });

  test("is refused before it runs, with its size and the limit", () => {
    const over = post("x".repeat(LIMITS.requestBodyBytes + 1));
    expect(() => toWireRequest(over, "http://host/fn/abc")).toThrow(
      "The body is 1,048,577 bytes; an endpoint accepts at most 1,048,576 (1 MB)",
    );
    const base64 = { ...post(btoa("y".repeat(3 * 1024 * 1024))), bodyEncoding: "base64" as const };
    expect(() => toWireRequest(base64, "http://host/fn/abc")).toThrow(
      /The body is 3,145,728 bytes/,
    );
  });

  test("is sent up to the limit, and a GET's body text is never counted", () => {
    const full = toWireRequest(post("x".repeat(LIMITS.requestBodyBytes)), "http://host/fn/abc");
    expect(full.body.byteLength).toBe(LIMITS.requestBodyBytes);
    const get = { ...post("x".repeat(LIMITS.requestBodyBytes + 1)), method: "GET" };
    expect(toWireRequest(get, "http://host/fn/abc").body.byteLength).toBe(0);
  });
});
