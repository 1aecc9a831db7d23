/** The response panel's JSON layout (`web/src/json-layout.ts`). */
import { expect, it, vi } from "vitest";
import { viewBody } from "../../web/src/body-view.ts";
import { JSON_LINE_WIDTH, layOutJson } from "../../web/src/json-layout.ts";
import { LIMITS } from "../../workers/limits.ts";

it("keeps what fits on one line, and gives a larger object a line per member", () => {
  // `JSON.stringify(…, null, 2)` took nine lines for this, five of them for the array.
  expect(layOutJson({ hello: "fnpad", items: [1, 2, 3], ok: true })).toBe(
    ["{", '  "hello": "fnpad",', '  "items": [1, 2, 3],', '  "ok": true', "}"].join("\n"),
  );
  expect(layOutJson({ hello: "Ada" })).toBe('{"hello": "Ada"}');
  expect(layOutJson([])).toBe("[]");
  expect(layOutJson({})).toBe("{}");
  expect(layOutJson('a\n"b"')).toBe(JSON.stringify('a\n"b"'));
  expect(layOutJson(null)).toBe("null");
});

it("counts the indentation: a nested object breaks where its line would pass the width", () => {
  const users = {
    users: [
      { id: 1, name: "Ada Lovelace", role: "admin" },
      { id: 2, name: "Bo" },
    ],
  };
  // The first user is 50 characters on one line, 54 with its indentation.
  expect(layOutJson(users)).toBe(
    [
      "{",
      '  "users": [',
      "    {",
      '      "id": 1,',
      '      "name": "Ada Lovelace",',
      '      "role": "admin"',
      "    },",
      '    {"id": 2, "name": "Bo"}',
      "  ]",
      "}",
    ].join("\n"),
  );
  expect(layOutJson(users, 80)).toBe(
    '{\n  "users": [\n    {"id": 1, "name": "Ada Lovelace", "role": "admin"},\n    {"id": 2, "name": "Bo"}\n  ]\n}',
  );
});

it("reads back as the same value, whatever its shape", () => {
  const value = {
    deep: { a: [1, [2, [3, { b: "x".repeat(60) }]]], empty: [], none: {} },
    list: Array.from({ length: 20 }, (_, id) => ({ id, tags: ["a", "b"] })),
    text: 'é 🐍 \u2028 "quoted"',
    numbers: [0, -1.5, 1e21, 2 ** 60],
  };
  const laidOut = layOutJson(value);
  expect(JSON.parse(laidOut ?? "")).toEqual(value);
  expect(laidOut).toContain('\n    {"id": 0, "tags": ["a", "b"]},\n');
});

it("writes each part of a deep body out once, not once per level above it", () => {
  // A string under 200 arrays was stringified at each level: 200 times its size, seconds for a
  // body of a few MB. Counted here in characters stringified, not in time.
  let deep: unknown = "x".repeat(100_000);
  for (let level = 0; level < 200; level += 1) deep = [deep];
  const stringify = vi.spyOn(JSON, "stringify");
  try {
    const laidOut = layOutJson(deep);
    const written = stringify.mock.results.reduce(
      (sum, result) => sum + String(result.value ?? "").length,
      0,
    );
    expect(written).toBeLessThan(2 * 100_000);
    expect(JSON.parse(laidOut ?? "")).toEqual(deep);
  } finally {
    stringify.mockRestore();
  }
});

it("stops indenting past 20 levels and gives up past its length, so a hostile body stays small", () => {
  // 86 KB: 4,000 nested arrays around 40,000 numbers. Each line repeated its growing indentation:
  // 352 million characters, which hung the page that showed them.
  const nested = (depth: number) =>
    "[".repeat(depth) + Array(40_000).fill("0").join(",") + "]".repeat(depth);
  const text = nested(400);
  const laidOut = layOutJson(JSON.parse(text)) ?? "";
  expect(laidOut.length).toBeLessThan(50 * text.length);
  expect(JSON.parse(laidOut)).toEqual(JSON.parse(text));
  let deepest = 0;
  for (const line of laidOut.split("\n"))
    deepest = Math.max(deepest, line.length - line.trimStart().length);
  expect(deepest).toBe(40);
  expect(layOutJson(JSON.parse(text), JSON_LINE_WIDTH, 1_000_000)).toBeNull();
  // Too deep for this thread's stack, or too long: the page shows the body as it came.
  const body = new TextEncoder().encode(nested(4000));
  const view = viewBody({ status: 200, headers: [["content-type", "application/json"]], body });
  expect(view).toMatchObject({ kind: "json" });
  expect("text" in view && view.text.length).toBeLessThanOrEqual(LIMITS.responseBodyBytes);
});
