/** The outbound address policy, with Node's URL parser (the same WHATWG rules as workerd's). */
import ipaddr from "ipaddr.js";
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

  it.each([
    ["ipv4", ipaddr.IPv4.prototype],
    ["ipv6", ipaddr.IPv6.prototype],
  ] as const)("has a refused row for every %s range ipaddr.js names", (family, prototype) => {
    // Not in the published types; the table ipaddr.js classifies by.
    const { SpecialRanges } = prototype as unknown as { SpecialRanges: Record<string, unknown> };
    const labels = REFUSED_ADDRESSES.map(([label]) => label);
    const names = Object.keys(SpecialRanges);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      expect(labels.some((label) => label.startsWith(`${family} ${name}`))).toBe(true);
    }
  });
});
