// Per-account rate limits: a request over the limit is a 429 problem with Retry-After and
// changes nothing. The limiter binding runs locally (miniflare); low limits come from a spy.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { type Caller, call, createWebhook, ingest, newCaller } from "../helpers";
import { captureQueue, spyReceiver } from "../queue-helpers";

function expectRateLimited(res: { status: number; headers: Headers; body: any; text: string }) {
  expect(res.status, res.text).toBe(429);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.headers.get("retry-after")).toBe("10");
  expect(res.body).toMatchObject({ status: 429, type: expect.stringMatching(/rate_limited$/) });
}

/** The real local limiter, counting for real, but with a limit of `limit` per period. */
function lowLimit(limiter: RateLimit, limit: number) {
  const original = limiter.limit.bind(limiter);
  return vi
    .spyOn(limiter, "limit")
    .mockImplementation((options) => original({ ...options, limit, period: 60 } as RateLimitOptions));
}

const refuseAll = (limiter: RateLimit) => vi.spyOn(limiter, "limit").mockResolvedValue({ success: false });

async function snapshot(caller: Caller, id: string) {
  const [webhook, secret, list] = await Promise.all([
    call("GET", `/v1/webhooks/${id}`, { token: caller.token }),
    call("GET", `/v1/webhooks/${id}/secret`, { token: caller.token }),
    call("GET", "/v1/webhooks?limit=100", { token: caller.token }),
  ]);
  return { webhook: webhook.body, secret: secret.body, list: list.body };
}

describe("admin writes", () => {
  it("are limited per account by the real local limiter: the write after the limit is refused", async () => {
    const caller = await newCaller();
    const other = await newCaller();
    const limit = lowLimit(env.ADMIN_WRITE_LIMITER, 2);
    await createWebhook(caller);
    await createWebhook(caller);
    expectRateLimited(
      await call("POST", "/v1/webhooks", {
        token: caller.token,
        json: { name: "n", url: "https://a.example.com/" },
      }),
    );
    expect(await createWebhook(other)).toMatchObject({ id: expect.any(String) }); // another account has its own budget
    expect(limit.mock.calls.map(([options]) => options.key)).toEqual([
      caller.account,
      caller.account,
      caller.account,
      other.account,
    ]);
    expect((await call("GET", "/v1/webhooks", { token: caller.token })).body.data).toHaveLength(2);
  });

  const writes: [string, string, unknown?][] = [
    ["POST", ""],
    ["PATCH", "/{id}", { name: "changed" }],
    ["DELETE", "/{id}"],
    ["POST", "/{id}/secret/rotate"],
    ["POST", "/{id}/test"],
    ["POST", "/{id}/logs/{log}/redeliver"],
    ["POST", "/{id}/recover", { since: "2026-01-01T00:00:00Z" }],
    ["POST", "/{id}/failed/fd_x/redeliver"],
  ];

  it.each(writes)(
    "%s /v1/webhooks%s over the limit is a 429 that changes and sends nothing",
    async (method, suffix, json) => {
      const caller = await newCaller();
      const webhook = await createWebhook(caller);
      const { received } = spyReceiver();
      const logged = await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token });
      const before = await snapshot(caller, webhook.id);
      const deliveries = captureQueue(env.DELIVERIES);
      refuseAll(env.ADMIN_WRITE_LIMITER);
      const path = `/v1/webhooks${suffix.replace("{id}", webhook.id).replace("{log}", logged.body.id)}`;
      const res = await call(method, path, {
        token: caller.token,
        json:
          json ??
          (method === "POST" && suffix === "" ? { name: "n", url: "https://a.example.com/" } : undefined),
      });
      expectRateLimited(res);
      vi.restoreAllMocks();
      expect(await snapshot(caller, webhook.id)).toEqual(before);
      expect(received).toHaveLength(1); // the test request before, nothing after
      expect(deliveries.sent).toEqual([]);
    },
  );

  it("leaves reads alone", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const limit = refuseAll(env.ADMIN_WRITE_LIMITER);
    for (const path of [
      "",
      `/${webhook.id}`,
      `/${webhook.id}/secret`,
      `/${webhook.id}/logs`,
      `/${webhook.id}/failed`,
    ]) {
      const res = await call("GET", `/v1/webhooks${path}`, { token: caller.token });
      expect(res.status, res.text).toBe(200);
    }
    expect(limit).not.toHaveBeenCalled();
  });
});

const change = (account_id: string) => ({
  account_id,
  entity_type: "user",
  entity_id: 1,
  action_type: "delete",
});

describe("ingest", () => {
  it("is limited per account of the changes: one account over its limit refuses the whole request, queuing nothing", async () => {
    const queue = captureQueue(env.CHANGES);
    const limit = vi
      .spyOn(env.INGEST_LIMITER, "limit")
      .mockImplementation(async ({ key }) => ({ success: key !== "hot" }));
    expectRateLimited(await ingest({ changes: [change("cool"), change("hot"), change("hot")] }));
    expect(queue.spy).not.toHaveBeenCalled();
    expect(limit.mock.calls.map(([options]) => options.key).sort()).toEqual(["cool", "hot"]); // once per account
    expect((await ingest({ changes: [change("cool"), change("calm")] })).status).toBe(202);
  });

  it("is counted by the real local limiter", async () => {
    const queue = captureQueue(env.CHANGES);
    lowLimit(env.INGEST_LIMITER, 1);
    const account = `acct_${crypto.randomUUID()}`;
    expect((await ingest(change(account))).status).toBe(202);
    expectRateLimited(await ingest(change(account)));
    expect(queue.sent).toHaveLength(1);
  });

  it("is let through when the limiter itself fails: it guards against floods, it must not stop ingest", async () => {
    captureQueue(env.CHANGES);
    vi.spyOn(env.INGEST_LIMITER, "limit").mockRejectedValue(new Error("limiter unavailable"));
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    expect((await ingest(change("acme"))).status).toBe(202);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("rate limiter failed"));
  });
});
