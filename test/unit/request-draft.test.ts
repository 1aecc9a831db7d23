import { describe, expect, test } from "vitest";
import { DEFAULT_DRAFT, toWireRequest, wirePath } from "../../web/src/request-draft.ts";
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
