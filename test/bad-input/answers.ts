// What every answer to bad input must look like, and a count of the inputs tried.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeEach, expect, vi } from "vitest";
import { FIELD_ERROR_CODES } from "../../src/http/field-errors";
import { TRIGGERS } from "../../src/webhooks/triggers";
import type { CallResult } from "../helpers";

/**
 * Counts fuzzed inputs and 5xx answers of one test file; prints them when the file is done.
 * Rate limits are tested in test/security/rate-limits.test.ts: here every request is within them.
 */
export function fuzzTally(label: string) {
  const tally = { inputs: 0, serverErrors: 0 };
  beforeEach(() => {
    vi.spyOn(env.ADMIN_WRITE_LIMITER, "limit").mockResolvedValue({ success: true });
    vi.spyOn(env.INGEST_LIMITER, "limit").mockResolvedValue({ success: true });
  });
  afterAll(() => {
    console.log(`${label}: ${tally.inputs} inputs fuzzed, ${tally.serverErrors} 5xx`);
    expect(tally.serverErrors).toBe(0);
  });

  /** A clear answer: one of the allowed statuses; an error is problem+json, a 400 names its paths. */
  function expectClearAnswer(res: CallResult, allowed: readonly number[]): void {
    tally.inputs++;
    if (res.status >= 500) tally.serverErrors++;
    expect(allowed, `${res.status} ${res.text.slice(0, 500)}`).toContain(res.status);
    if (res.status < 400) return;
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body).toMatchObject({
      type: expect.any(String),
      title: expect.any(String),
      status: res.status,
      detail: expect.any(String),
    });
    if (res.status === 400) {
      expect(res.body.errors.length, res.text).toBeGreaterThan(0);
      for (const error of res.body.errors) {
        const { params, ...rest } = error;
        expect(rest).toEqual({
          path: expect.any(String),
          code: expect.any(String),
          message: expect.any(String),
        });
        expect(FIELD_ERROR_CODES).toContain(error.code);
        if (params !== undefined) expect(params).toEqual(expect.any(Object));
      }
    }
  }
  return { tally, expectClearAnswer };
}

export const NUM_RUNS = 150;

/** Any JSON value, kept shallow so a run stays cheap. */
export const anyJson = fc.jsonValue({ maxDepth: 3 });

/** Strings a careless or hostile client sends: any code point, control characters, CR/LF, overlong. */
export const nastyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 120 }),
  fc.string({ unit: "binary-ascii", maxLength: 40 }),
  fc.constantFrom("", " ", "\r\n", "a\r\nX-Injected: 1", "\u0000", "x".repeat(101), "ü".repeat(101)),
);

/** URLs and things that look like them, valid ones included. */
export const urlish = fc.oneof(
  fc.webUrl({ withQueryParameters: true }),
  fc.webUrl().map((url) => `${url}\r\nX-Injected: 1`),
  fc.ipV4Extended().map((ip) => `https://${ip}/hook`),
  fc.ipV6().map((ip) => `https://[${ip}]/hook`),
  fc.constantFrom(
    "https://hooks.example.com/in",
    "https://user:pw@hooks.example.com/",
    "javascript:alert(1)",
    "https://metadata.google.internal/",
    `https://hooks.example.com/${"a".repeat(2100)}`,
  ),
  nastyString,
);

export const triggersish = fc.oneof(
  fc.subarray([...TRIGGERS]),
  fc.array(fc.constantFrom(...TRIGGERS, "user.created", "", "USER.NEW"), { maxLength: 8 }),
  anyJson,
);

/** Custom header sets: valid ones, reserved and odd names, hostile values, too many, not objects. */
export const headersish = fc.oneof(
  fc.constant({ "X-Api-Key": "k_live_1" }),
  fc.dictionary(
    fc.oneof(
      fc.constantFrom(
        "X-Api-Key",
        "Authorization",
        "Host",
        "webhook-id",
        "Upgrade",
        "__proto__",
        "X Key",
        "",
      ),
      fc.string({ unit: "binary-ascii", maxLength: 20 }),
    ),
    fc.oneof(nastyString, anyJson),
    { maxKeys: 12 },
  ),
  anyJson,
);

/** Bodies that are not UTF-8: valid JSON text with one byte broken. */
export const brokenUtf8 = fc
  .tuple(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(0x80, 0xc3, 0xe2, 0xf0, 0xfe, 0xff), fc.nat())
  .map(([value, bad, at]) => {
    const bytes = new TextEncoder().encode(JSON.stringify({ value, pad: "~~~~" }));
    const pad = bytes.lastIndexOf(0x7e) - 3; // the pad is the last "~~~~"
    bytes[pad + (at % 4)] = bad;
    return bytes;
  });

/** Content types other than JSON, and JSON ones spelled oddly. */
export const contentType = fc.oneof(
  fc.constantFrom(
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "text/json",
    "application/json;",
    "application/json; charset=utf-8",
    "application/merge-patch+json",
    "",
  ),
  fc.string({ unit: "grapheme-ascii", maxLength: 40 }),
);
