// Tenant isolation beyond the per-route 404s in test/webhooks/routes.test.ts (read, patch,
// delete, secret, rotate) and test/request-log/routes.test.ts (test, logs, redeliver, failed,
// recover): the failed-delivery redeliver route, ids of one account used through another
// account's own webhook, lists, and changes crossing accounts.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type Caller, call, createWebhook, failedDelivery, newCaller, recordFailed } from "../helpers";
import { captureQueue, changeMessage, QUEUES, runBatch, spyReceiver } from "../queue-helpers";

/** An account with a webhook, one logged test request and one failed delivery. */
async function tenantWithHistory() {
  const caller = await newCaller();
  const webhook = await createWebhook(caller);
  const { received } = spyReceiver();
  const logged = (await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token })).body;
  const messageId = `msg_${crypto.randomUUID().slice(0, 8)}`;
  await recordFailed(
    failedDelivery(webhook, caller.account, {
      change_id: "chg_secret_business",
      message_id: messageId,
      payload: { entity_id: 7, entity_type: "company", action_type: "update", result: { n: 1 } },
    }),
  );
  const failed = (await call("GET", `/v1/webhooks/${webhook.id}/failed`, { token: caller.token })).body
    .data[0];
  return { caller, webhook, logged, failed, received, messageId };
}

const everything = async (caller: Caller, webhookId: string) =>
  [
    await call("GET", "/v1/webhooks?limit=100", { token: caller.token }),
    await call("GET", `/v1/webhooks/${webhookId}/logs`, { token: caller.token }),
    await call("GET", `/v1/webhooks/${webhookId}/failed?since=2000-01-01T00:00:00Z`, { token: caller.token }),
  ]
    .map((res) => res.text)
    .join("\n");

describe("tenant isolation", () => {
  it("POST {id}/failed/{failed_id}/redeliver of another account's webhook answers 404 and sends nothing", async () => {
    const owner = await tenantWithHistory();
    const intruder = await newCaller();
    const res = await call("POST", `/v1/webhooks/${owner.webhook.id}/failed/${owner.failed.id}/redeliver`, {
      token: intruder.token,
    });
    expect(res.status, res.text).toBe(404);
    expect(res.text).not.toContain(owner.messageId);
    expect(owner.received).toHaveLength(1); // the owner's own test request, nothing since
    const row = (await call("GET", `/v1/webhooks/${owner.webhook.id}/failed`, { token: owner.caller.token }))
      .body.data[0];
    expect(row.recovered_at).toBeNull();
  });

  it("another account's log and failed-delivery ids are 404 through one's own webhook too", async () => {
    const owner = await tenantWithHistory();
    const intruder = await newCaller();
    const own = await createWebhook(intruder);
    for (const path of [`/logs/${owner.logged.id}/redeliver`, `/failed/${owner.failed.id}/redeliver`]) {
      const res = await call("POST", `/v1/webhooks/${own.id}${path}`, { token: intruder.token });
      expect(res.status, `${path}: ${res.text}`).toBe(404);
    }
    expect(owner.received).toHaveLength(1);
  });

  it("recovering one's own webhook never queues another account's failed deliveries", async () => {
    const owner = await tenantWithHistory();
    const intruder = await newCaller();
    const own = await createWebhook(intruder);
    const deliveries = captureQueue(env.DELIVERIES);
    const res = await call("POST", `/v1/webhooks/${own.id}/recover`, {
      token: intruder.token,
      json: { since: "2000-01-01T00:00:00Z" },
    });
    expect(res.status, res.text).toBe(202);
    expect(res.body).toEqual({ queued: 0, superseded: 0 });
    expect(JSON.stringify(deliveries.sent)).not.toContain(owner.messageId);
  });

  it("no list shows anything of another account: webhooks, logs, failed deliveries", async () => {
    const owner = await tenantWithHistory();
    const intruder = await tenantWithHistory();
    const seen = await everything(intruder.caller, intruder.webhook.id);
    for (const secretOfOwner of [
      owner.webhook.id,
      owner.logged.id,
      owner.logged.message_id,
      owner.messageId,
      owner.failed.id,
    ]) {
      expect(seen).not.toContain(secretOfOwner);
    }
  });

  it("a change of one account never reaches another account's webhook", async () => {
    const owner = await newCaller();
    const other = await newCaller();
    await createWebhook(owner, { url: "https://owner.example.com/in" });
    await createWebhook(other, { url: "https://other.example.com/in" });
    const { received } = spyReceiver();
    await runBatch(QUEUES.changes, [changeMessage({ account_id: owner.account })]);
    expect(received.map((request) => request.url)).toEqual(["https://owner.example.com/in"]);
  });
});
