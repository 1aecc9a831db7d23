import { describe, expect, test } from "vitest";
import { fromBase64, sha256Hex, toBase64, toBase64Url } from "../../workers/bytes.ts";

describe("byte encodings", () => {
  test("base64 round-trips every byte value, and a body too large to spread at once", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64(toBase64(all))).toEqual(all);
    const large = new Uint8Array(1_000_000).map((_, i) => (i * 31) & 0xff);
    expect(fromBase64(toBase64(large))).toEqual(large);
    expect(toBase64(new Uint8Array([0xfb, 0xff]))).toBe(
      Buffer.from([0xfb, 0xff]).toString("base64"),
    );
  });

  test("URL-safe base64 has no +, / or padding", () => {
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
  });

  test("text that is not base64 is refused", () => {
    expect(() => fromBase64("not base64!")).toThrow();
  });

  test("SHA-256 as hex", async () => {
    expect(await sha256Hex("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});
