/** The outbound address policy, with Node's URL parser (the same WHATWG rules as workerd's). */
import { describe, expect, it } from "vitest";
import { outboundRefusal } from "../../edge/sandbox/address-policy.ts";
import { ALLOWED_ADDRESSES, REFUSED_ADDRESSES } from "../fixtures/policy/outbound-addresses.ts";

describe("outbound address policy", () => {
  it.each(REFUSED_ADDRESSES)("refuses %s: %s", (_range, url) => {
    expect(outboundRefusal(new URL(url))).toEqual(expect.any(String));
  });

  it.each(ALLOWED_ADDRESSES)("allows %s: %s", (_kind, url) => {
    expect(outboundRefusal(new URL(url))).toBeNull();
  });
});
