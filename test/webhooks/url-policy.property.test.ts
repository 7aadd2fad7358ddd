// Property-based: an IP address that is not public is refused in every spelling URL parsing
// accepts. The oracle is ipaddr.js reading the spelling itself (not the URL parser's reading).
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { afterAll, describe, expect, it } from "vitest";
import { checkWebhookUrl } from "../../src/webhooks/url-policy";

const production = { allowPrivate: false };
const RUNS = 1000;
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");
const tally = { refused: 0, allowed: 0 };

afterAll(() => {
  console.log(
    `URL policy properties: ${tally.refused} non-public spellings refused, ${tally.allowed} public ones allowed`,
  );
});

/** Whether ipaddr.js calls the address anything but plain public unicast. */
function isNonPublic(spelling: string): boolean {
  const address = ipaddr.parse(spelling);
  if (address instanceof ipaddr.IPv4) return address.range() !== "unicast";
  if (address.isIPv4MappedAddress()) return address.toIPv4Address().range() !== "unicast";
  return address.range() !== "unicast" || !address.match(GLOBAL_UNICAST_V6);
}

function expectRefused(url: string) {
  expect(checkWebhookUrl(url, production), url).toMatchObject({ ok: false });
  tally.refused++;
}

const nonPublicV4 = fc.ipV4Extended().filter(isNonPublic);
const nonPublicV6 = fc.ipV6().filter(isNonPublic);

describe("URL policy over generated addresses", () => {
  it("refuses a non-public IPv4 address in any spelling: decimal, octal, hex, short forms", () => {
    fc.assert(
      fc.property(nonPublicV4, fc.constantFrom("", ".", ":443"), (ip, suffix) =>
        expectRefused(`https://${ip}${suffix}/hook`),
      ),
      { numRuns: RUNS },
    );
  });

  it("refuses a non-public IPv6 address", () => {
    fc.assert(
      fc.property(nonPublicV6, (ip) => expectRefused(`https://[${ip}]/hook`)),
      { numRuns: RUNS },
    );
  });

  it("refuses a non-public IPv4 address inside IPv6: mapped, mapped in hex, compatible", () => {
    const inV6 = fc
      .ipV4()
      .filter(isNonPublic)
      .chain((ip) => {
        const [a, b, c, d] = ip.split(".").map(Number) as [number, number, number, number];
        const hex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
        return fc.constantFrom(`::ffff:${ip}`, `::ffff:${hex}`, `::${ip}`, `0:0:0:0:0:ffff:${hex}`);
      });
    fc.assert(
      fc.property(inV6, (ip) => expectRefused(`https://[${ip}]/`)),
      { numRuns: RUNS },
    );
  });

  it("allows a public IPv4 address in any spelling (no false refusals)", () => {
    fc.assert(
      fc.property(
        fc.ipV4Extended().filter((ip) => !isNonPublic(ip)),
        (ip) => {
          expect(checkWebhookUrl(`https://${ip}/hook`, production), ip).toMatchObject({ ok: true });
          tally.allowed++;
        },
      ),
      { numRuns: RUNS },
    );
  });
});
