// MAX_WEBHOOKS_PER_ACCOUNT (default 100): creating one more is a 409 that changes nothing, also
// when many creates race; and max_per_second, the pacing field (enforced by delivery).
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { type Caller, call, createWebhook, expectProblem, newCaller, webhookInput } from "../helpers";

/** POST /v1/webhooks through a Worker whose MAX_WEBHOOKS_PER_ACCOUNT is `max`. */
async function createWithLimit(caller: Caller, max: number) {
  const res = await worker.fetch(
    new Request("https://webhooks.test/v1/webhooks", {
      method: "POST",
      headers: { authorization: `Bearer ${caller.token}`, "content-type": "application/json" },
      body: JSON.stringify(webhookInput()),
    }),
    { ...env, MAX_WEBHOOKS_PER_ACCOUNT: String(max) },
    createExecutionContext(),
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) };
}

async function footprint(caller: Caller) {
  return env.DB.prepare(
    `SELECT (SELECT COUNT(*) FROM webhooks WHERE account_id = ?1) AS webhooks,
            (SELECT COUNT(*) FROM webhook_subscriptions WHERE account_id = ?1) AS subscriptions`,
  )
    .bind(caller.account)
    .first<{ webhooks: number; subscriptions: number }>();
}

describe("webhooks per account", () => {
  it("answers the 101st create with a 409 by default, writing nothing", async () => {
    const caller = await newCaller();
    for (let i = 0; i < 100; i++) await createWebhook(caller, { name: `hook ${i}` });
    const before = await footprint(caller);
    const res = await call("POST", "/v1/webhooks", { token: caller.token, json: webhookInput() });
    expectProblem(res, 409);
    expect(res.body.detail).toMatch(/100 webhooks/);
    expect(await footprint(caller)).toEqual(before);
    expect(before?.webhooks).toBe(100);

    // Another account is not affected, and deleting one makes room again.
    expect(
      (await call("POST", "/v1/webhooks", { token: (await newCaller()).token, json: webhookInput() })).status,
    ).toBe(201);
    const first = (await call("GET", "/v1/webhooks?limit=1", { token: caller.token })).body.data[0];
    expect((await call("DELETE", `/v1/webhooks/${first.id}`, { token: caller.token })).status).toBe(204);
    expect((await call("POST", "/v1/webhooks", { token: caller.token, json: webhookInput() })).status).toBe(
      201,
    );
  });

  it("follows MAX_WEBHOOKS_PER_ACCOUNT", async () => {
    const caller = await newCaller();
    expect((await createWithLimit(caller, 2)).status).toBe(201);
    expect((await createWithLimit(caller, 2)).status).toBe(201);
    const third = await createWithLimit(caller, 2);
    expect(third.status, third.text).toBe(409);
    expect(third.headers.get("content-type")).toContain("application/problem+json");
    expect((await footprint(caller))?.webhooks).toBe(2);
  });

  it("lets no more than the limit through when creates race", async () => {
    const caller = await newCaller();
    const answers = await Promise.all(Array.from({ length: 12 }, () => createWithLimit(caller, 5)));
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.filter((s) => s === 201),
      statuses.join(),
    ).toHaveLength(5);
    expect(
      statuses.filter((s) => s === 409),
      statuses.join(),
    ).toHaveLength(7);
    const rows = await footprint(caller);
    expect(rows).toEqual({ webhooks: 5, subscriptions: 5 * 6 });
  });
});

describe("max_per_second", () => {
  it("is null unless set, and is kept as given on create and PATCH", async () => {
    const caller = await newCaller();
    const unpaced = await createWebhook(caller);
    expect(unpaced.max_per_second).toBeNull();
    const paced = await createWebhook(caller, { max_per_second: 50 });
    expect(paced.max_per_second).toBe(50);

    const patch = (json: unknown) => call("PATCH", `/v1/webhooks/${paced.id}`, { token: caller.token, json });
    expect((await patch({ max_per_second: 1000 })).body.max_per_second).toBe(1000);
    expect((await patch({ name: "Renamed" })).body.max_per_second).toBe(1000);
    expect((await patch({ max_per_second: null })).body.max_per_second).toBeNull();
    const got = await call("GET", `/v1/webhooks/${paced.id}`, { token: caller.token });
    expect(got.body.max_per_second).toBeNull();
  });

  it.each([[0], [1001], [1.5], [-1], ["5"], [true], [[5]]])(
    "refuses %j with a 400 on max_per_second, on create and PATCH",
    async (value) => {
      const caller = await newCaller();
      const create = await call("POST", "/v1/webhooks", {
        token: caller.token,
        json: webhookInput({ max_per_second: value }),
      });
      expectProblem(create, 400);
      expect(create.body.errors).toEqual([
        {
          path: "max_per_second",
          code: expect.stringMatching(/^(too_small|too_big|invalid_type)$/),
          message: "Must be an integer from 1 to 1000, or null for no limit",
          ...(create.body.errors[0]?.params ? { params: expect.any(Object) } : {}),
        },
      ]);
      const created = await createWebhook(caller, { max_per_second: 7 });
      const res = await call("PATCH", `/v1/webhooks/${created.id}`, {
        token: caller.token,
        json: { max_per_second: value },
      });
      expectProblem(res, 400);
      const got = await call("GET", `/v1/webhooks/${created.id}`, { token: caller.token });
      expect(got.body.max_per_second).toBe(7);
    },
  );
});
