import { describe, expect, test } from "vitest";
import {
  compareResponses,
  handlerHeaders,
  isPlatformHeader,
  isSame,
} from "../../web/src/response-compare.ts";
import type { WireResponse } from "../../workers/runtime-protocol.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const response = (patch: Partial<WireResponse>): WireResponse => ({
  status: 200,
  headers: [["content-type", "text/plain"]],
  body: bytes("hi"),
  ...patch,
});

describe("comparing the browser's and the edge's responses", () => {
  test("platform headers are left out; the handler's are kept, repeats joined as fetch joins them", () => {
    const headers = handlerHeaders(
      response({
        headers: [
          ["Content-Security-Policy", "sandbox"],
          ["date", "today"],
          ["cf-ray", "1"],
          ["Set-Thing", "a"],
          ["set-thing", "b"],
          ["content-type", "text/plain"],
        ],
      }),
    );
    expect([...headers]).toEqual([
      ["content-type", "text/plain"],
      ["set-thing", "a, b"],
    ]);
    expect(isPlatformHeader("X-Content-Type-Options")).toBe(true);
    expect(isPlatformHeader("x-fnpad-error")).toBe(false);
  });

  test("equal responses are the same despite the platform's extra headers", () => {
    const edge = response({
      headers: [
        ["content-type", "text/plain"],
        ["content-length", "2"],
        ["x-content-type-options", "nosniff"],
      ],
    });
    expect(isSame(compareResponses(response({}), edge))).toBe(true);
  });

  test("status, each differing or missing handler header, and the body are named", () => {
    const edge = response({
      status: 201,
      headers: [
        ["content-type", "text/html"],
        ["x-extra", "1"],
      ],
      body: bytes("hj"),
    });
    expect(compareResponses(response({}), edge)).toEqual({
      status: true,
      headers: ["content-type", "x-extra"],
      body: true,
    });
  });

  test("bodies of different lengths differ even when one is a prefix of the other", () => {
    expect(compareResponses(response({}), response({ body: bytes("hi!") })).body).toBe(true);
  });
});
