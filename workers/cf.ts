/**
 * `request.cf`: what Cloudflare tells a Worker about where a request came from. At the edge the
 * platform's own object is passed through as it is (`WireRequest.cf`): a field Cloudflare leaves
 * out (`city` when it does not know it, `isEUCountry` outside the EU) stays out, as in any Worker.
 * Where there is none at all (the browser, a request made inside workerd's tests), a placeholder
 * stands in, so that code written for Workers (`request.cf?.country`) runs everywhere.
 */

/** A `cf` object as plain data: JSON values only, so it crosses `postMessage` and RPC unchanged. */
export type CfProperties = Record<string, unknown>;

/**
 * The placeholder, documented in the README. `XX` is the country Cloudflare reports when it does
 * not know one; the other values are recognisably not a real location.
 */
export const PLACEHOLDER_CF: Readonly<CfProperties> = /* @__PURE__ */ Object.freeze({
  country: "XX",
  continent: "XX",
  colo: "XXX",
  city: "Placeholder",
  region: "",
  regionCode: "",
  postalCode: "",
  metroCode: "",
  latitude: "0.00000",
  longitude: "0.00000",
  timezone: "UTC",
  asn: 0,
  asOrganization: "fnpad placeholder",
  httpProtocol: "HTTP/1.1",
  tlsVersion: "",
  tlsCipher: "",
  clientTcpRtt: 0,
  requestPriority: "",
  clientAcceptEncoding: "",
  edgeRequestKeepAliveStatus: 0,
  // No `isEUCountry`: Cloudflare sets it ("1") only inside the EU, and any value would be truthy.
});

/**
 * The platform's `cf` as plain data, or undefined when there is none. Only JSON survives: the
 * object crosses into an isolate over RPC, where anything callable would arrive as a stub.
 */
export function plainCf(cf: unknown): CfProperties | undefined {
  if (!cf || typeof cf !== "object") return undefined;
  try {
    const copy: unknown = JSON.parse(JSON.stringify(cf));
    return copy && typeof copy === "object" && !Array.isArray(copy)
      ? (copy as CfProperties)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The `cf` a handler sees: the platform's, else the placeholder. */
export function handlerCf(cf: CfProperties | undefined): CfProperties {
  return cf ?? { ...PLACEHOLDER_CF };
}
