// Property-based: whatever an admin client sends, the answer is clear (never a 5xx, a problem
// with paths for every 400) and a refused request writes nothing.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { headerProblems } from "../../src/webhooks/custom-headers";
import { type Caller, call, createWebhook, newCaller } from "../helpers";
import { spyReceiver } from "../queue-helpers";
import {
  anyJson,
  brokenUtf8,
  contentType,
  fuzzTally,
  headersish,
  NUM_RUNS,
  nastyString,
  triggersish,
  urlish,
} from "./answers";

const { expectClearAnswer } = fuzzTally("bad input, admin API");

/** Rows the account has: a refused request must leave both counts alone. */
async function footprint(caller: Caller) {
  return env.DB.prepare(
    `SELECT (SELECT COUNT(*) FROM webhooks WHERE account_id = ?1) AS webhooks,
            (SELECT COUNT(*) FROM webhook_subscriptions WHERE account_id = ?1) AS subscriptions`,
  )
    .bind(caller.account)
    .first<{ webhooks: number; subscriptions: number }>();
}

const FIELDS = ["name", "url", "is_active", "triggers", "event_ids", "headers", "max_per_second"];

/** Webhook bodies near the real shape: each field right, wrong or missing, plus unknown fields. */
const webhookLike = fc
  .tuple(
    fc.record(
      {
        name: fc.oneof(nastyString, anyJson, fc.constant("CRM sync")),
        url: fc.oneof(urlish, anyJson),
        is_active: fc.oneof(fc.boolean(), anyJson),
        triggers: triggersish,
        event_ids: fc.oneof(fc.array(nastyString, { maxLength: 4 }), anyJson),
        headers: headersish,
        max_per_second: fc.oneof(fc.integer({ min: -2, max: 1002 }), fc.constant(null), anyJson),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(fc.string({ maxLength: 12 }), anyJson, { maxKeys: 2 }),
  )
  .map(([fields, extra]) => ({ ...extra, ...fields }) as Record<string, unknown>);

const hasControl = (value: unknown) =>
  typeof value === "string" && [...value].some((ch) => ch <= "\u001f" || ch === "\u007f");

describe("POST /v1/webhooks with arbitrary bodies", () => {
  it("answers 201 or a 400 naming the fields, and a 400 creates nothing", async () => {
    const caller = await newCaller();
    await fc.assert(
      fc.asyncProperty(fc.oneof(webhookLike, anyJson), async (json) => {
        const before = await footprint(caller);
        const res = await call("POST", "/v1/webhooks", { token: caller.token, json });
        expectClearAnswer(res, [201, 400]);
        const after = await footprint(caller);
        if (res.status === 400) {
          expect(after).toEqual(before);
          return;
        }
        expect(after?.webhooks).toBe((before?.webhooks ?? 0) + 1);
        const input = json as Record<string, unknown>;
        expect(Object.keys(input).every((key) => FIELDS.includes(key))).toBe(true);
        expect(hasControl(res.body.name) || hasControl(res.body.url)).toBe(false);
        expect(res.body.url).toBe(input.url);
        expect(headerProblems((input.headers ?? {}) as Record<string, unknown>)).toEqual([]);
        expect(res.body.headers).toEqual(input.headers ?? {});
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("refuses every unknown field and control character in a name on its path, and such a url", async () => {
    const caller = await newCaller();
    await fc.assert(
      fc.asyncProperty(webhookLike, async (json) => {
        const res = await call("POST", "/v1/webhooks", { token: caller.token, json });
        expectClearAnswer(res, [201, 400]);
        const paths = res.status === 400 ? res.body.errors.map((e: { path: string }) => e.path) : [];
        for (const key of Object.keys(json).filter((k) => !FIELDS.includes(k))) expect(paths).toContain(key);
        if (typeof json.name === "string" && hasControl(json.name.trim())) expect(paths).toContain("name");
        // The URL policy runs once the body has the right shape, so its path may come later.
        if (hasControl(json.url)) expect(res.status).toBe(400);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("refuses bodies that are not UTF-8 (400) or not JSON (415), creating nothing", async () => {
    const caller = await newCaller();
    const before = await footprint(caller);
    const headers = (type: string) => ({ "content-type": type });
    await fc.assert(
      fc.asyncProperty(brokenUtf8, async (body) => {
        const res = await call("POST", "/v1/webhooks", {
          token: caller.token,
          body,
          headers: headers("application/json"),
        });
        expectClearAnswer(res, [400]);
      }),
      { numRuns: NUM_RUNS },
    );
    await fc.assert(
      fc.asyncProperty(contentType, fc.uint8Array({ maxLength: 200 }), async (type, body) => {
        const res = await call("POST", "/v1/webhooks", { token: caller.token, body, headers: headers(type) });
        expectClearAnswer(res, [400, 415]);
      }),
      { numRuns: NUM_RUNS },
    );
    expect(await footprint(caller)).toEqual(before);
  });
});

describe("bodies far too large or nested too deeply", () => {
  it("are refused on every admin write that takes a body, changing nothing", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const before = await footprint(caller);
    const { received } = spyReceiver();
    const huge = JSON.stringify({ name: "x".repeat(70 * 1024), url: "https://hooks.example.com/" });
    const deep = `{"result":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`;
    const deepArray = `{"name":${"[".repeat(20_000)}${"]".repeat(20_000)}}`;
    const sent: [string, string, string, number[]][] = [
      ["POST", "/v1/webhooks", huge, [413]],
      ["PATCH", `/v1/webhooks/${webhook.id}`, huge, [413]],
      ["POST", `/v1/webhooks/${webhook.id}/test`, huge, [413]],
      ["POST", `/v1/webhooks/${webhook.id}/test`, deep, [400]],
      ["POST", "/v1/webhooks", deepArray, [400]],
      ["PATCH", `/v1/webhooks/${webhook.id}`, deepArray, [400]],
    ];
    for (const [method, path, body, statuses] of sent) {
      const headers = { "content-type": "application/json" };
      expectClearAnswer(await call(method, path, { token: caller.token, body, headers }), statuses);
    }
    expect(await footprint(caller)).toEqual(before);
    expect(received).toEqual([]);
  });
});

describe("PATCH /v1/webhooks/{id} with arbitrary bodies", () => {
  it("answers 200 or a 400 naming the fields, and a 400 changes nothing", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    await fc.assert(
      fc.asyncProperty(fc.oneof(webhookLike, anyJson), async (json) => {
        const before = await call("GET", `/v1/webhooks/${webhook.id}`, { token: caller.token });
        const res = await call("PATCH", `/v1/webhooks/${webhook.id}`, { token: caller.token, json });
        expectClearAnswer(res, [200, 400]);
        if (res.status === 400) {
          const after = await call("GET", `/v1/webhooks/${webhook.id}`, { token: caller.token });
          expect(after.body).toEqual(before.body);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("the other admin routes with arbitrary input", () => {
  it("answers the test, recover and redeliver routes clearly, whatever the body", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    spyReceiver();
    const routes = fc.constantFrom("/test", "/recover", "/logs/log_x/redeliver", "/failed/fd_x/redeliver");
    await fc.assert(
      fc.asyncProperty(
        routes,
        fc.oneof(anyJson, fc.record({ result: anyJson, since: anyJson })),
        async (route, json) => {
          const res = await call("POST", `/v1/webhooks/${webhook.id}${route}`, { token: caller.token, json });
          expectClearAnswer(res, [200, 202, 400, 404, 409]);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it("answers arbitrary query strings and ids with 200, 400 or 404", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const value = fc.oneof(
      nastyString,
      fc.integer().map(String),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    );
    const query = fc.dictionary(fc.constantFrom("limit", "cursor", "since", "x"), value, { maxKeys: 3 });
    const path = fc.oneof(
      fc.constantFrom(
        "",
        `/${webhook.id}`,
        `/${webhook.id}/failed`,
        `/${webhook.id}/logs`,
        `/${webhook.id}/secret`,
        `/${webhook.id}/headers`,
        `/${webhook.id}/auth`,
      ),
      nastyString.map((id) => `/${encodeURIComponent(id)}`),
    );
    await fc.assert(
      fc.asyncProperty(path, query, async (suffix, params) => {
        const res = await call("GET", `/v1/webhooks${suffix}?${new URLSearchParams(params)}`, {
          token: caller.token,
        });
        expectClearAnswer(res, [200, 400, 404]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("answers every malformed Authorization header with 401", async () => {
    const header = fc.oneof(
      fc.string({ unit: "grapheme-ascii", maxLength: 200 }),
      fc.string({ unit: "grapheme-ascii", maxLength: 200 }).map((t) => `Bearer ${t}`),
      fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((p) => `Bearer ${p.join(".")}`),
    );
    await fc.assert(
      fc.asyncProperty(header, async (authorization) => {
        const res = await call("GET", "/v1/webhooks", { headers: { authorization } });
        expectClearAnswer(res, [401]);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
