import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { messageIdFor } from "../../src/messages/payload";
import { call, createWebhook, failedDelivery, newCaller, recordFailed } from "../helpers";
import { changeMessage, QUEUES, runBatch } from "../queue-helpers";

const failedOf = async (caller: { token: string }, id: string) =>
  (await call("GET", `/v1/webhooks/${id}/failed`, { token: caller.token })).body.data;

describe("dead-letter consumer", () => {
  it("records a change whose fan-out never succeeded for every webhook it would have reached, once however often seen", async () => {
    const caller = await newCaller();
    const a = await createWebhook(caller);
    const b = await createWebhook(caller, { triggers: ["company.new"] });
    const change = changeMessage({ account_id: caller.account, entity_id: 5, result: { name: "Bo" } });
    const { acked } = await runBatch(QUEUES.deadLetters, [change, change]);
    await runBatch(QUEUES.deadLetters, [change]);
    expect(acked).toEqual([true, true]);
    expect(await failedOf(caller, a.id)).toEqual([
      expect.objectContaining({
        reason: "unprocessable",
        attempts: 0,
        message_id: await messageIdFor(change.identity, a.id),
        entity_id: 5,
        body: '{"entity_id":5,"entity_type":"user","action_type":"update","result":{"name":"Bo"}}',
      }),
    ]);
    expect(await failedOf(caller, b.id)).toEqual([]);
    const got = await call("GET", `/v1/webhooks/${a.id}`, { token: caller.token });
    expect(got.body.failed_deliveries).toBe(1);
  });

  it("drops a wake-up (its webhook's object wakes the consumer again by itself) and keeps nothing of it", async () => {
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM dead_letters").first<{ n: number }>();
    const { acked } = await runBatch(QUEUES.deadLetters, [{ type: "wake", webhook_id: "wh_gone" }]);
    expect(acked).toEqual([true]);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM dead_letters").first()).toEqual(before);
  });

  it("keeps unreadable messages for an operator, with the queue they came from", async () => {
    const { acked } = await runBatch(QUEUES.deadLetters, [
      { type: "poison", queue: "eventinsight-changes", received_at: new Date().toISOString(), raw: "{oops" },
      "dead-lettered by the queue itself",
    ]);
    expect(acked).toEqual([true, true]);
    const row = await env.DB.prepare("SELECT * FROM dead_letters WHERE raw = '{oops'").first();
    expect(row).toMatchObject({ queue: QUEUES.changes });
    const direct = await env.DB.prepare("SELECT * FROM dead_letters WHERE raw = ?")
      .bind('"dead-lettered by the queue itself"')
      .first();
    expect(direct).toMatchObject({ queue: QUEUES.deadLetters });
  });
});

describe("the failed deliveries kept in D1", () => {
  it("keep nothing of a webhook deleted meanwhile", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    await call("DELETE", `/v1/webhooks/${webhook.id}`, { token: caller.token });
    await recordFailed(failedDelivery(webhook, caller.account));
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM failed_deliveries WHERE webhook_id = ?")
      .bind(webhook.id)
      .first();
    expect(row).toEqual({ n: 0 });
  });
});
