/**
 * `request.cf`: what Cloudflare tells a Worker about where a request came from. At the edge the
 * platform's own object is passed through (`WireRequest.cf`); in the browser, and under
 * `wrangler dev` where it may be missing or partial, the fields it lacks come from a placeholder,
 * so that code written for Workers (`request.cf?.country`) runs everywhere and sees every field.
 */

/** A `cf` object as plain data: JSON values only, so it crosses `postMessage` and RPC unchanged. */
export type CfProperties = Record<string, unknown>;

/**
 * The placeholder, documented in the README. `XX` is the country Cloudflare reports when it does
 * not know one; the other values are recognisably not a real location.
 */
export const PLACEHOLDER_CF: Readonly<CfProperties> = Object.freeze({
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
  isEUCountry: "0",
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

/** The `cf` a handler sees: the platform's fields, with the placeholder's for any it lacks. */
export function handlerCf(cf: CfProperties | undefined): CfProperties {
  return { ...PLACEHOLDER_CF, ...cf };
}
