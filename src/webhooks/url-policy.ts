// Where a webhook may point. Pure: the URL string and the policy in, a verdict with a reason out.
// Checked on save and again before every send (the host's DNS answers are checked separately,
// see ./destination.ts, also on save and before every send).
import ipaddr from "ipaddr.js";
import { CONTROL_CHARACTER } from "../http/plain-text";

export const MAX_URL_LENGTH = 2048;

export type UrlRefusal =
  | "invalid"
  | "control_characters"
  | "port"
  | "scheme"
  | "userinfo"
  | "too_long"
  | "private_host";

type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: UrlRefusal; message: string };

export interface UrlPolicy {
  allowPrivate: boolean;
}

// Names that never resolve to a public endpoint: local, internal and special-use domains.
const PRIVATE_SUFFIXES = [
  "localhost",
  "local",
  "internal",
  "intranet",
  "lan",
  "home",
  "corp",
  "private",
  "home.arpa",
  "localdomain",
  "in-addr.arpa",
  "ip6.arpa",
  "test",
  "invalid",
  "example",
  "onion",
];

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");

/** Whether an address is a public unicast address: not private, loopback, link-local, CGNAT, metadata, reserved... */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv4") return parsed.range() === "unicast";
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range() === "unicast";
  // Only 2000::/3 is allocated for global unicast; everything outside it (IPv4-compatible ::/96
  // included, which ipaddr.js calls "unicast") is refused.
  return v6.match(GLOBAL_UNICAST_V6) && v6.range() === "unicast";
}

/** Whether a hostname (as URL.hostname gives it) is an IP literal, and which. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) && (bare.includes(":") || ipaddr.IPv4.isValidFourPartDecimal(bare))
    ? bare
    : null;
}

function isPrivateHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.+$/, "");
  const literal = ipLiteral(name);
  if (literal) return !isPublicAddress(literal);
  if (name === "" || !name.includes(".")) return true; // single-label names only resolve on a local network
  return PRIVATE_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
}

export function checkWebhookUrl(raw: string, policy: UrlPolicy): UrlVerdict {
  if (raw.length > MAX_URL_LENGTH) {
    return { ok: false, reason: "too_long", message: `Must be at most ${MAX_URL_LENGTH} characters` };
  }
  // URL parsing silently drops tabs and line breaks; a URL that holds any control character is
  // refused rather than stored as something other than what is requested.
  if (CONTROL_CHARACTER.test(raw)) {
    return { ok: false, reason: "control_characters", message: "Must not contain control characters" };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "invalid", message: "Must be an absolute URL" };
  }
  const schemes = policy.allowPrivate ? ["https:", "http:"] : ["https:"];
  if (!schemes.includes(url.protocol)) {
    return {
      ok: false,
      reason: "scheme",
      message: policy.allowPrivate ? "Must use https or http" : "Must use https",
    };
  }
  if (url.username || url.password) {
    return { ok: false, reason: "userinfo", message: "Must not contain a user name or password" };
  }
  // Port 0 is no port anything can be reached on: a request there could never be delivered.
  if (url.port === "0") {
    return { ok: false, reason: "port", message: "Must not use port 0" };
  }
  if (!policy.allowPrivate && isPrivateHostname(url.hostname)) {
    return {
      ok: false,
      reason: "private_host",
      message: "Must point to a public host, not a private, loopback, link-local or reserved address",
    };
  }
  return { ok: true, url };
}
