import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import benchWorker from "../../bench/worker/index";
import worker from "../../src/index";
import { adminToken, call, createWebhook, newCaller, uniqueId } from "../helpers";
import { captureQueue, spyReceiver } from "../queue-helpers";

/** A request to the Worker as `npm run bench` runs it (bench/worker/index.ts, this project's main). */
async function benchCall(method: string, path: string, json?: unknown) {
  const res = await exports.default.fetch(`https://webhooks.test${path}`, {
    method,
    headers: json === undefined ? {} : { "content-type": "application/json" },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, text, body, headers: res.headers };
}

const counters = async () => (await benchCall("GET", "/__bench/counters")).body;

describe("the production Worker", () => {
  it("has no /__bench routes", async () => {
    for (const [method, path] of [
      ["GET", "/__bench/counters"],
      ["POST", "/__bench/counters/reset"],
      ["POST", "/__bench/floor"],
      ["POST", "/__bench/baseline"],
      ["POST", "/__bench/webhooks"],
      ["GET", "/__bench/explain"],
    ] as const) {
      const url = `https://webhooks.test${path}`;
      const res = await worker.fetch(new Request(url, { method }), env, createExecutionContext());
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });
});

describe("the bench's Worker", () => {
  it("serves the floor: a change message per change of the body, answered 202, counted apart from the API", async () => {
    const { sent } = captureQueue(env.CHANGES);
    await benchCall("POST", "/__bench/counters/reset");
    const change = {
      account_id: "acme",
      entity_type: "user",
      entity_id: 1,
      action_type: "update",
      result: {},
    };
    expect((await benchCall("POST", "/__bench/floor", change)).status).toBe(202);
    const batch = await benchCall("POST", "/__bench/floor", { changes: [change, change] });
    expect(batch.status, batch.text).toBe(202);
    expect(sent).toHaveLength(3);
    expect(sent[0]?.body).toMatchObject({ type: "change", change: change, seq: expect.any(Number) });
    const counted = await counters();
    expect(counted.floor).toMatchObject({ invocations: 2, sent: { CHANGES: { messages: 3 } } });
    expect(counted.fetch).toBeUndefined();
  });

  it("hands the floor's messages to the consumer like ingested changes: they are delivered", async () => {
    const { received } = spyReceiver();
    const caller = await newCaller();
    await createWebhook(caller);
    const { sent } = captureQueue(env.CHANGES);
    const change = {
      account_id: caller.account,
      entity_type: "user",
      entity_id: "floor-1",
      action_type: "delete",
    };
    expect((await benchCall("POST", "/__bench/floor", change)).status).toBe(202);
    const message = { id: "floor-1", timestamp: new Date(), attempts: 1, body: sent[0]?.body };
    const batch = createMessageBatch("eventinsight-changes", [message]);
    const ctx = createExecutionContext();
    await benchWorker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["floor-1"]);
    expect(received.map((request) => JSON.parse(request.body))).toEqual([
      { entity_id: "floor-1", entity_type: "user", action_type: "delete" },
    ]);
  });

  it("counts the Worker requests made since the last reset, but not its own routes", async () => {
    expect((await benchCall("POST", "/__bench/counters/reset")).status).toBe(204);
    await benchCall("GET", "/healthz");
    const healthz = await benchCall("GET", "/healthz");
    expect(healthz.headers.get("x-bench-answered-at")).toMatch(/^\d+$/);
    expect((await counters()).fetch).toMatchObject({ invocations: 2, inFlight: 0 });
  });

  it("counts the rows the app's own Durable Object writes when a request is logged", async () => {
    spyReceiver();
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    await benchCall("POST", "/__bench/counters/reset");
    const res = await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token, json: {} });
    expect(res.status, res.text).toBe(200);
    const counted = await counters();
    const objects = Object.entries(counted).filter(([label]) => label.startsWith("object:"));
    expect(objects.reduce((sum, [, c]: [string, any]) => sum + c.doRowsWritten, 0)).toBeGreaterThanOrEqual(1);
    expect(counted.fetch.doCalls).toBeGreaterThanOrEqual(1);
  });

  it("makes the baseline's signed POSTs to a loopback address", async () => {
    const { received } = spyReceiver();
    const res = await benchCall("POST", "/__bench/baseline", { url: "http://127.0.0.1:9/in", n: 3 });
    expect(res.status, res.text).toBe(200);
    // As many at a time as the service's own deliveries may have out, unless told otherwise.
    expect(res.body).toMatchObject({ n: 3, ok: 3, concurrency: Number(env.CONCURRENT_SENDS) });
    expect(received.map((r) => r.url)).toEqual(Array(3).fill("http://127.0.0.1:9/in"));
    const wide = await benchCall("POST", "/__bench/baseline", {
      url: "http://127.0.0.1:9/in",
      n: 2,
      concurrency: 100,
    });
    expect(wide.body).toMatchObject({ n: 2, ok: 2, concurrency: 100 });
    expect(received[0]?.headers["webhook-signature"]).toMatch(/^v1,/);
  });

  it.each([
    "https://hooks.example.com/in",
    "http://10.0.0.1/in",
    "http://localhost:9/in",
    "http://127.0.0.1.example.com/in",
    "ftp://127.0.0.1/in",
  ])("refuses a baseline to %s, sending nothing", async (url) => {
    const { received } = spyReceiver();
    const res = await benchCall("POST", "/__bench/baseline", { url, n: 1 });
    expect(res.status, res.text).toBe(400);
    expect(received).toEqual([]);
  });

  it("seeds webhooks in bulk that the admin API and fan-out see", async () => {
    const account = uniqueId("acct");
    const seeded = await benchCall("POST", "/__bench/webhooks", {
      account_id: account,
      count: 3,
      url: "https://hooks.example.com/in",
      triggers: ["user.update"],
      event_ids: ["ev_1"],
    });
    expect(seeded.status, seeded.text).toBe(201);
    expect(seeded.body.ids).toHaveLength(3);
    const token = await adminToken({ account_id: account });
    const list = await call("GET", "/v1/webhooks?limit=10", { token });
    expect(list.status, list.text).toBe(200);
    expect(list.body.data).toHaveLength(3);
    expect(list.body.data[0]).toMatchObject({
      triggers: ["user.update"],
      event_ids: ["ev_1"],
      is_active: true,
    });
    const { results } = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM webhook_subscriptions WHERE account_id = ?",
    )
      .bind(account)
      .all<{ n: number }>();
    expect(results[0]?.n).toBe(3);
  });

  it("seeds Ed25519 webhooks, answering their public key as the API does", async () => {
    const account = uniqueId("acct");
    const seeded = await benchCall("POST", "/__bench/webhooks", {
      account_id: account,
      count: 2,
      url: "https://hooks.example.com/in",
      signature_scheme: "ed25519",
    });
    expect(seeded.status, seeded.text).toBe(201);
    expect(seeded.body).toEqual({ ids: expect.any(Array), public_key: expect.stringMatching(/^whpk_/) });
    const token = await adminToken({ account_id: account });
    const secret = await call("GET", `/v1/webhooks/${seeded.body.ids[0]}/secret`, { token });
    expect(secret.body).toEqual({ public_key: seeded.body.public_key });
  });

  it("seeds webhooks with OAuth2 client credentials, the client secret sealed as the API seals it", async () => {
    const account = uniqueId("acct");
    const auth = {
      token_url: "https://login.example.com/token",
      client_id: "bench",
      client_secret: `cs_${crypto.randomUUID()}`,
    };
    const seeded = await benchCall("POST", "/__bench/webhooks", {
      account_id: account,
      count: 2,
      url: "https://hooks.example.com/in",
      auth,
    });
    expect(seeded.status, seeded.text).toBe(201);
    expect(seeded.text).not.toContain(auth.client_secret);
    const token = await adminToken({ account_id: account });
    for (const id of seeded.body.ids) {
      const revealed = await call("GET", `/v1/webhooks/${id}/auth`, { token });
      expect(revealed.body).toEqual({ auth: { type: "oauth2_client_credentials", scope: null, ...auth } });
    }
  });

  it("shows that fan-out finds webhooks by the subscriptions' primary key", async () => {
    const res = await benchCall("GET", "/__bench/explain?account_id=acme&trigger=user.update&event_id=ev_1");
    expect(res.status, res.text).toBe(200);
    const plan = (res.body.plan as { detail: string }[]).map((step) => step.detail).join("\n");
    expect(plan).toMatch(/SEARCH s USING PRIMARY KEY \(account_id=\? AND trigger=\? AND event_id=\?\)/);
    expect(plan).not.toMatch(/SCAN (s|w)\b/);
  });
});
