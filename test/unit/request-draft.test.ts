import { describe, expect, test } from "vitest";
import { DEFAULT_DRAFT, toWireRequest, wirePath } from "../../web/src/request-draft.ts";

const withPath = (path: string) => ({ ...DEFAULT_DRAFT, query: [], path });

describe("the path a handler sees from the request builder", () => {
  test.each([
    ["/users/7", "/users/7"],
    ["users/7", "/users/7"],
    ["/a b/ü", "/a%20b/%C3%BC"],
    ["/already%20encoded", "/already%20encoded"],
    ["/x/../y/./z", "/y/z"],
    ["/what?not-a-query#nor-a-fragment", "/what%3Fnot-a-query%23nor-a-fragment"],
  ])("%s is sent as %s, as fetch and curl send it", (typed, sent) => {
    expect(wirePath(withPath(typed))).toBe(sent);
    // What the edge hands the handler: the pathname of the URL the request arrives at.
    expect(new URL(`http://host/fn/abc${sent}`).pathname).toBe(`/fn/abc${sent}`);
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
