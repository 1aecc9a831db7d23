/** Snippet ids and `id@N` references: one parser for the API, the endpoints, the page and the CLI. */
import { describe, expect, test } from "vitest";
import {
  formatSnippetRef,
  isSnippetId,
  newSnippetId,
  parseSnippetRef,
} from "../../workers/snippet-ref.ts";

describe("snippet ids", () => {
  test("new ids have no look-alike characters, so they can be read aloud", () => {
    const ids = Array.from({ length: 500 }, newSnippetId);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z2-9]{12}$/);
      expect(id).not.toMatch(/[01lo]/);
      expect(isSnippetId(id)).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  test.each([
    ["x7Kq2LmP0a", true], // the ids made before: 10 base-62 characters keep working
    ["k3xq7m2pwt9e", true],
    ["k3xq7m2pwt9", false],
    ["k3xq7m2pwt9o", false],
    ["x7Kq2LmP0a_", false],
    ["../etc", false],
    ["", false],
  ])("%s is an id: %s", (value, expected) => {
    expect(isSnippetId(value)).toBe(expected);
  });

  test.each([
    ["k3xq7m2pwt9e", { id: "k3xq7m2pwt9e", version: null }],
    ["k3xq7m2pwt9e@4", { id: "k3xq7m2pwt9e", version: 4 }],
    ["x7Kq2LmP0a@123456789", { id: "x7Kq2LmP0a", version: 123456789 }],
    ["k3xq7m2pwt9e@0", null],
    ["k3xq7m2pwt9e@04", null],
    ["k3xq7m2pwt9e@1234567890", null],
    ["k3xq7m2pwt9e@", null],
    ["k3xq7m2pwt9e@1@2", null],
    ["nope@1", null],
  ])("%s reads as %o, and writes back the same", (value, expected) => {
    const ref = parseSnippetRef(value);
    expect(ref).toEqual(expected);
    if (ref) expect(formatSnippetRef(ref)).toBe(value);
  });
});
