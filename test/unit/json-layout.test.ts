/** The response panel's JSON layout (`web/src/json-layout.ts`). */
import { expect, it, vi } from "vitest";
import { layOutJson } from "../../web/src/json-layout.ts";

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
  expect(JSON.parse(laidOut)).toEqual(value);
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
    expect(JSON.parse(laidOut)).toEqual(deep);
  } finally {
    stringify.mockRestore();
  }
});
