// A webhook's own headers go out with every request — deliveries, retries, tests, redeliveries —
// next to the signed Standard Webhooks headers, and the request log shows them as "••••".
import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import { MASK } from "../../src/webhooks/custom-headers";
import { type Caller, call, createWebhook, failedDelivery, newCaller, recordFailed } from "../helpers";
import {
  changeMessage,
  fakeDate,
  later,
  QUEUES,
  type Received,
  runBatch,
  spyReceiver,
  wake,
} from "../queue-helpers";

const API_KEY = "k_live_3b8f0a61";
const HEADERS = { "X-Api-Key": API_KEY, "X-Tenant": "acme" };

async function webhookWithHeaders(): Promise<{ caller: Caller; webhook: { id: string; secret: string } }> {
  const caller = await newCaller();
  return { caller, webhook: await createWebhook(caller, { headers: HEADERS }) };
}

function expectCustomHeaders(request: Received | undefined, secret: string) {
  expect(request?.headers).toMatchObject({ "x-api-key": API_KEY, "x-tenant": "acme" });
  expect(request?.headers["content-type"]).toBe("application/json");
  expect(new Webhook(secret).verify(request?.body as string, request?.headers ?? {})).toBeTruthy();
}

const logsOf = async (caller: Caller, id: string) =>
  (await call("GET", `/v1/webhooks/${id}/logs`, { token: caller.token })).body.data as any[];

describe("a webhook's own headers", () => {
  it("are sent with a delivery and its retry, and logged masked", async () => {
    const { caller, webhook } = await webhookWithHeaders();
    const { received } = spyReceiver(
      (_, n) => new Response(n === 1 ? "down" : "ok", { status: n === 1 ? 503 : 200 }),
    );
    fakeDate();
    try {
      await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]);
      later(1500); // RETRY_DELAYS_S=1: the retry is due
      await wake(webhook.id);
    } finally {
      vi.useRealTimers();
    }
    expect(received).toHaveLength(2);
    for (const request of received) expectCustomHeaders(request, webhook.secret);

    const logs = await logsOf(caller, webhook.id);
    expect(logs).toHaveLength(2);
    for (const entry of logs) {
      expect(entry.request.headers).toMatchObject({ "X-Api-Key": MASK, "X-Tenant": MASK });
      expect(entry.request.headers["webhook-id"]).toMatch(/^msg_/);
    }
    expect(JSON.stringify(logs)).not.toContain(API_KEY);
  });

  it("are sent with a test request, whose answer shows them masked", async () => {
    const { caller, webhook } = await webhookWithHeaders();
    const { received } = spyReceiver();
    const res = await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token });
    expect(res.status, res.text).toBe(200);
    expectCustomHeaders(received[0], webhook.secret);
    expect(res.body.request.headers).toMatchObject({ "X-Api-Key": MASK, "X-Tenant": MASK });
    expect(res.text).not.toContain(API_KEY);
  });

  it("are sent, as they are now, with the redelivery of a logged request", async () => {
    const { caller, webhook } = await webhookWithHeaders();
    const { received } = spyReceiver();
    await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token });
    await call("PATCH", `/v1/webhooks/${webhook.id}`, {
      token: caller.token,
      json: { headers: { "X-Api-Key": "k_rotated" } },
    });
    const [logged] = await logsOf(caller, webhook.id);
    const res = await call("POST", `/v1/webhooks/${webhook.id}/logs/${logged.id}/redeliver`, {
      token: caller.token,
    });
    expect(res.status, res.text).toBe(200);
    expect(received[1]?.headers["x-api-key"]).toBe("k_rotated");
    expect(received[1]?.headers).not.toHaveProperty("x-tenant");
    expect(res.body.request.headers).toMatchObject({ "X-Api-Key": MASK });
  });

  it("are sent with the redelivery of a failed delivery", async () => {
    const { caller, webhook } = await webhookWithHeaders();
    await recordFailed(failedDelivery(webhook, caller.account, { message_id: "msg_headers_failed" }));
    const [failed] = (await call("GET", `/v1/webhooks/${webhook.id}/failed`, { token: caller.token })).body
      .data;
    const { received } = spyReceiver();
    const res = await call("POST", `/v1/webhooks/${webhook.id}/failed/${failed.id}/redeliver`, {
      token: caller.token,
    });
    expect(res.status, res.text).toBe(200);
    expectCustomHeaders(received[0], webhook.secret);
    expect(res.text).not.toContain(API_KEY);
  });

  it("never replace the standard headers, and a webhook without headers sends exactly those five", async () => {
    const caller = await newCaller();
    const plain = await createWebhook(caller);
    const { received } = spyReceiver();
    await call("POST", `/v1/webhooks/${plain.id}/test`, { token: caller.token });
    expect(Object.keys(received[0]?.headers ?? {}).sort()).toEqual([
      "content-type",
      "user-agent",
      "webhook-id",
      "webhook-signature",
      "webhook-timestamp",
    ]);
  });
});
