import { describe, expect, it } from "vitest";
import { checkWebhookUrl, isPublicAddress } from "../../src/webhooks/url-policy";

const production = { allowPrivate: false };
const localDev = { allowPrivate: true };

// Every spelling of a non-public host that URL parsing lets through must be refused.
const refused: [string, string][] = [
  ["plain http", "http://hooks.example.com/in"],
  ["ftp", "ftp://hooks.example.com/in"],
  ["user and password", "https://user:pass@hooks.example.com/in"],
  ["user only", "https://user@hooks.example.com/in"],
  ["not a URL", "hooks.example.com/in"],
  ["empty", ""],
  ["loopback", "https://127.0.0.1/"],
  ["loopback elsewhere in 127/8", "https://127.1.2.3/"],
  ["loopback short form", "https://127.1/"],
  ["loopback decimal", "https://2130706433/"],
  ["loopback hex", "https://0x7f000001/"],
  ["loopback dotted hex", "https://0x7f.0x0.0x0.0x1/"],
  ["loopback octal", "https://0177.0.0.1/"],
  ["loopback dotted octal, padded", "https://00000177.00.00.01/"],
  ["loopback trailing dot", "https://127.0.0.1./"],
  ["localhost", "https://localhost/"],
  ["localhost trailing dot", "https://localhost./"],
  ["localhost upper case", "https://LOCALHOST/"],
  ["subdomain of localhost", "https://api.localhost/"],
  ["unspecified 0.0.0.0", "https://0.0.0.0/"],
  ["zero", "https://0/"],
  ["private 10/8", "https://10.1.2.3/"],
  ["private 172.16/12", "https://172.20.0.1/"],
  ["private 192.168/16", "https://192.168.1.1/"],
  ["private 192.168 decimal", "https://3232235777/"],
  ["link-local", "https://169.254.10.10/"],
  ["cloud metadata", "https://169.254.169.254/latest/meta-data"],
  ["cloud metadata hex", "https://0xa9fea9fe/"],
  ["CGNAT 100.64/10", "https://100.64.0.1/"],
  ["Alibaba metadata (CGNAT)", "https://100.100.100.200/"],
  ["documentation TEST-NET-1", "https://192.0.2.10/"],
  ["documentation TEST-NET-3", "https://203.0.113.7/"],
  ["benchmarking 198.18/15", "https://198.18.0.1/"],
  ["multicast", "https://224.0.0.1/"],
  ["reserved 240/4", "https://240.0.0.1/"],
  ["broadcast", "https://255.255.255.255/"],
  ["IPv6 loopback", "https://[::1]/"],
  ["IPv6 loopback long form", "https://[0:0:0:0:0:0:0:1]/"],
  ["IPv6 unspecified", "https://[::]/"],
  ["IPv4-mapped loopback", "https://[::ffff:127.0.0.1]/"],
  ["IPv4-mapped loopback hex", "https://[::ffff:7f00:1]/"],
  ["IPv4-mapped metadata", "https://[::ffff:169.254.169.254]/"],
  ["IPv4-compatible loopback", "https://[::127.0.0.1]/"],
  ["IPv4-compatible private", "https://[::10.0.0.1]/"],
  ["IPv6 unique local", "https://[fd00::1]/"],
  ["AWS IPv6 metadata", "https://[fd00:ec2::254]/"],
  ["IPv6 link-local", "https://[fe80::1]/"],
  ["IPv6 multicast", "https://[ff02::1]/"],
  ["IPv6 documentation", "https://[2001:db8::1]/"],
  ["NAT64 of a private address", "https://[64:ff9b::10.0.0.1]/"],
  ["6to4", "https://[2002:7f00:1::]/"],
  ["GCP metadata name", "https://metadata.google.internal/"],
  ["*.internal", "https://service.internal/"],
  ["*.local (mDNS)", "https://printer.local/"],
  ["home.arpa", "https://nas.home.arpa/"],
  ["single-label name", "https://intranet/"],
  ["reverse DNS zone", "https://1.0.0.127.in-addr.arpa/"],
  ["too long", `https://hooks.example.com/${"a".repeat(2030)}`],
  ["CR LF (header injection attempt)", "https://hooks.example.com/in\r\nX-Injected: 1"],
  ["line feed in the host", "https://hooks.exa\nmple.com/"],
  ["tab in the host", "https://hooks.exam\tple.com/"],
  ["NUL byte", "https://hooks.example.com/\u0000"],
  ["DEL", "https://hooks.example.com/\u007f"],
];

const allowed: [string, string][] = [
  ["https name", "https://hooks.example.com/eventinsight"],
  ["https with port and query", "https://hooks.example.com:8443/in?source=eventinsight"],
  ["public IPv4", "https://93.184.215.14/hook"],
  ["public IPv4 decimal (still public)", "https://1572395022/"],
  ["public IPv6", "https://[2606:4700:4700::1111]/"],
  ["IPv4-mapped public", "https://[::ffff:8.8.8.8]/"],
  ["trailing dot name", "https://hooks.example.com./in"],
  ["internationalised name", "https://bücher.example.com/in"],
  ["name that merely starts like a private one", "https://localhost-proxy.example.com/"],
  [
    "exactly 2048 characters",
    `https://hooks.example.com/${"a".repeat(2048 - "https://hooks.example.com/".length)}`,
  ],
];

describe("webhook URL policy", () => {
  it("covers at least 40 spellings", () => {
    expect(refused.length + allowed.length).toBeGreaterThanOrEqual(40);
  });

  it.each(refused)("refuses %s", (_, url) => {
    expect(checkWebhookUrl(url, production).ok).toBe(false);
  });

  it.each(allowed)("allows %s", (_, url) => {
    const verdict = checkWebhookUrl(url, production);
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ ok: true });
  });

  it.each([
    ["http://127.0.0.1:8080/hook"],
    ["http://localhost:3000/"],
    ["https://10.0.0.5/"],
    ["http://[::1]:9000/"],
  ])("allows %s in local development (ALLOW_PRIVATE_URLS=true)", (url) => {
    expect(checkWebhookUrl(url, localDev).ok).toBe(true);
  });

  it.each([
    ["ftp://127.0.0.1/", "scheme"],
    ["http://u:p@127.0.0.1/", "userinfo"],
  ])("still refuses %s in local development (%s)", (url, reason) => {
    expect(checkWebhookUrl(url, localDev)).toMatchObject({ ok: false, reason });
  });

  it.each([
    ["https://127.0.0.1/", "private_host"],
    ["http://hooks.example.com/", "scheme"],
    ["https://a:b@hooks.example.com/", "userinfo"],
    ["https://hooks.example.com:0/hook", "port"],
    ["nope", "invalid"],
    ["https://hooks.example.com/\r\nX: 1", "control_characters"],
    [`https://x.example.com/${"a".repeat(2048)}`, "too_long"],
  ])("names why %j is refused: %s", (url, reason) => {
    expect(checkWebhookUrl(url, production)).toMatchObject({ ok: false, reason });
  });
});

describe("isPublicAddress", () => {
  it.each([
    ["8.8.8.8", true],
    ["2606:4700:4700::1111", true],
    ["10.0.0.1", false],
    ["::ffff:10.0.0.1", false],
    ["::a00:1", false],
    ["fc00::1", false],
    ["not-an-ip", false],
  ])("%s is public: %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
