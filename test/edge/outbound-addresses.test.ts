/** The outbound address policy, in workerd: its URL parser normalises what reaches the guard. */
import { describe, expect, it } from "vitest";
import { outboundRefusal } from "../../edge/sandbox/outbound.ts";
import { ALLOWED_ADDRESSES, REFUSED_ADDRESSES } from "../fixtures/policy/outbound-addresses.ts";

describe("outbound address policy (workerd URL parser)", () => {
  it.each(REFUSED_ADDRESSES)("refuses %s: %s", (_range, url) => {
    expect(outboundRefusal(new URL(url))).toEqual(expect.any(String));
  });

  it.each(ALLOWED_ADDRESSES)("allows %s: %s", (_kind, url) => {
    expect(outboundRefusal(new URL(url))).toBeNull();
  });
});
