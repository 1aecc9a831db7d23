/**
 * Which URLs a snippet may fetch: public http(s) hosts on the web ports Workers fetch in
 * production. Kept free of Workers imports so that it can be tested in Node as well as in workerd.
 *
 * IP literals are classified by ipaddr.js, a maintained table of the special-purpose ranges
 * (loopback, private, link-local, CGNAT, documentation, benchmarking, 6to4, Teredo, NAT64, …),
 * rather than by ranges written here: only what it calls `unicast` passes.
 */
import ipaddr from "ipaddr.js";

/** The ports Cloudflare's own `fetch` reaches (https://developers.cloudflare.com/fundamentals/reference/network-ports/). */
const WEB_PORTS = new Set([
  "",
  "80",
  "8080",
  "8880",
  "2052",
  "2082",
  "2086",
  "2095",
  "443",
  "8443",
  "2053",
  "2083",
  "2087",
  "2096",
]);

/** Names never looked up: they mean "this machine" or "this network". */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/;

/** IANA's global unicast block, 2000::/3: the only IPv6 space routed on the internet. */
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR("2000::/3");

/** Why the IPv4 address `host` is not public, or null when it is. */
function ipv4Refusal(address: ipaddr.IPv4, spelled: string): string | null {
  const range = address.range();
  return range === "unicast" ? null : `${spelled} is not a public address (${range})`;
}

/**
 * Why the IPv6 address `host` is not public, or null when it is. An IPv4-mapped address
 * (`::ffff:a.b.c.d`) is the IPv4 address it carries, so it is judged as that. Every other form
 * that embeds IPv4 (NAT64, SIIT, 6to4, Teredo) is refused outright: which IPv4 address it ends up
 * at depends on a translator on the way, not on anything checked here. ipaddr.js calls all space
 * outside its named ranges `unicast`, including the unallocated space and the deprecated
 * IPv4-compatible `::a.b.c.d`, hence the extra 2000::/3 check.
 */
function ipv6Refusal(address: ipaddr.IPv6, spelled: string): string | null {
  const range = address.range();
  if (range === "ipv4Mapped") return ipv4Refusal(address.toIPv4Address(), spelled);
  if (range !== "unicast") return `${spelled} is not a public address (${range})`;
  if (!address.match(IPV6_GLOBAL_UNICAST)) return `${spelled} is not a public address (unrouted)`;
  return null;
}

/** Why a snippet may not fetch `url`, or null if it may. */
export function outboundRefusal(url: URL): string | null {
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return `only http and https URLs may be fetched, not ${url.protocol}`;
  if (!WEB_PORTS.has(url.port)) return `port ${url.port} is not one of the web ports Workers fetch`;
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  // URL hosts keep IPv6 literals in brackets.
  if (host.startsWith("[")) {
    const literal = host.slice(1, -1);
    if (!ipaddr.IPv6.isValid(literal)) return `${host} is not a valid IPv6 address`;
    return ipv6Refusal(ipaddr.IPv6.parse(literal), host);
  }
  // The URL parser has already normalised every IPv4 spelling (`0x7f.1`, `2130706433`, `0177.1`)
  // to dotted decimal; anything else that looks numeric was rejected by it.
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) return ipv4Refusal(ipaddr.IPv4.parse(host), host);
  if (!host.includes(".") || LOCAL_NAME.test(host)) return `${host} is not a public host name`;
  return null;
}
