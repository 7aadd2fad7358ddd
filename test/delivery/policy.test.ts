import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_DELAYS_S } from "../../src/config";
import { classify, parseRetryAfter, retryDelay } from "../../src/delivery/policy";

const config = { retryDelaysS: DEFAULT_RETRY_DELAYS_S, overloadFloorS: 60 };
const NOW = Date.parse("2026-11-27T10:00:00Z");
const noJitter = () => 0.5;
const plain = { overloaded: false };

describe("classify", () => {
  it.each([
    [200, null, "success"],
    [204, null, "success"],
    [299, null, "success"],
    [410, null, "gone"],
    [301, "redirect not followed", "retry"],
    [302, "redirect not followed", "retry"],
    [307, "redirect not followed", "retry"],
    [308, "redirect not followed", "retry"],
    [400, null, "retry"],
    [404, null, "retry"],
    [429, null, "retry"],
    [500, null, "retry"],
    [503, null, "retry"],
    [null, "timeout", "retry"],
    [null, "connection refused", "retry"],
    [null, "destination_blocked: private address", "retry"],
  ] as const)("status %s with error %s is %s", (status, error, kind) => {
    expect(classify({ status, error }).kind).toBe(kind);
  });

  it.each([
    [429, null, true],
    [null, "timeout", true],
    [503, null, false],
    [null, "connection reset", false],
  ] as const)("status %s / error %s counts as overload: %s", (status, error, overloaded) => {
    expect(classify({ status, error })).toEqual({ kind: "retry", overloaded });
  });
});

describe("retryDelay", () => {
  it("follows the schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, then gives up", () => {
    const waits = Array.from({ length: 10 }, (_, i) => retryDelay(i + 1, plain, null, config, noJitter, NOW));
    expect(waits).toEqual([5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400, null]);
  });

  it.each([
    [0, 240],
    [1, 360],
    [0.25, 270],
  ])("jitters the wait by at most 20 %% (random %s gives %s s for 5 min)", (r, expected) => {
    expect(retryDelay(2, plain, null, config, () => r, NOW)).toBe(expected);
  });

  it("uses RETRY_DELAYS_S when configured", () => {
    const custom = { retryDelaysS: [1, 1, 1], overloadFloorS: 0 };
    expect([1, 2, 3, 4].map((n) => retryDelay(n, plain, null, custom, noJitter, NOW))).toEqual([
      1,
      1,
      1,
      null,
    ]);
  });

  it("raises the wait after a timeout or a 429 to the overload floor", () => {
    expect(retryDelay(1, { overloaded: true }, null, config, noJitter, NOW)).toBe(60);
    expect(retryDelay(3, { overloaded: true }, null, config, noJitter, NOW)).toBe(1800);
  });

  it.each([
    ["120", 300],
    ["450", 450],
    ["0", 300],
    ["-5", 300],
    ["garbage", 300],
    ["99999999", 600],
    ["1.5", 300],
    [new Date(NOW + 450_000).toUTCString(), 450],
    [new Date(NOW - 60_000).toUTCString(), 300],
    [new Date(NOW + 86_400_000).toUTCString(), 600],
  ])("honours Retry-After %j only within [W, 2W] (W = 300 s): %s s", (header, expected) => {
    expect(retryDelay(2, plain, header, config, noJitter, NOW)).toBe(expected);
  });
});

describe("parseRetryAfter", () => {
  it.each([
    ["30", 30],
    [" 30 ", 30],
    ["Fri, 27 Nov 2026 10:01:00 GMT", 60],
    ["-1", null],
    ["1e3", null],
    ["soon", null],
    ["", null],
  ])("%j is %s seconds", (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});
