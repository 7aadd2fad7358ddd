import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { messageIdFor } from "../../src/delivery/job";
import { call, createWebhook, newCaller } from "../helpers";
import { changeMessage, QUEUES, runBatch } from "../queue-helpers";

const jobOf = (webhook: { id: string }, account: string, overrides: Record<string, unknown> = {}) => ({
  webhook_id: webhook.id,
  account_id: account,
  change_id: "chg_dl",
  message_id: `msg_${crypto.randomUUID().slice(0, 8)}`,
  payload: { entity_id: 5, entity_type: "user", action_type: "update", result: { name: "Bo" } },
  attempt: 10,
  first_attempt_at: "2026-11-24T10:00:00.000Z",
  last_status: 500,
  last_error: null,
  ...overrides,
});

/** What the deliveries consumer sends when a delivery's schedule is spent. */
const spentDelivery = (webhook: { id: string }, account: string) => ({
  type: "failed",
  reason: "exhausted",
  attempts: 10,
  failed_at: new Date().toISOString(),
  job: jobOf(webhook, account),
});

const failedOf = async (caller: { token: string }, id: string) =>
  (await call("GET", `/v1/webhooks/${id}/failed`, { token: caller.token })).body.data;

describe("dead-letter consumer", () => {
  it("records a delivery whose schedule is spent, once, however often it is seen", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const failed = spentDelivery(webhook, caller.account);
    const { acked } = await runBatch(QUEUES.deadLetters, [failed, failed]);
    await runBatch(QUEUES.deadLetters, [failed]);
    expect(acked).toEqual([true, true]);
    const rows = await failedOf(caller, webhook.id);
    expect(rows).toEqual([
      expect.objectContaining({
        message_id: failed.job.message_id,
        reason: "exhausted",
        attempts: 10,
        last_status: 500,
        entity_id: 5,
        body: '{"entity_id":5,"entity_type":"user","action_type":"update","result":{"name":"Bo"}}',
        recovered_at: null,
      }),
    ]);
    const got = await call("GET", `/v1/webhooks/${webhook.id}`, { token: caller.token });
    expect(got.body.failed_deliveries).toBe(1);
  });

  it("records a delivery message no consumer could process as unprocessable", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    await runBatch(QUEUES.deadLetters, [
      { type: "delivery", job: jobOf(webhook, caller.account, { attempt: 3 }) },
    ]);
    expect(await failedOf(caller, webhook.id)).toEqual([
      expect.objectContaining({ reason: "unprocessable", attempts: 2 }),
    ]);
  });

  it("records a change whose fan-out never succeeded for every webhook it would have reached", async () => {
    const caller = await newCaller();
    const a = await createWebhook(caller);
    const b = await createWebhook(caller, { triggers: ["company.new"] });
    const change = changeMessage({ account_id: caller.account });
    await runBatch(QUEUES.deadLetters, [change]);
    expect(await failedOf(caller, a.id)).toEqual([
      expect.objectContaining({
        reason: "unprocessable",
        message_id: await messageIdFor(change.change_id, a.id),
      }),
    ]);
    expect(await failedOf(caller, b.id)).toEqual([]);
  });

  it("keeps unreadable messages for an operator, with the queue they came from", async () => {
    const { acked } = await runBatch(QUEUES.deadLetters, [
      { type: "poison", queue: "eventinsight-changes", raw: "{oops" },
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

  it("does not keep failures of a deleted webhook", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    await call("DELETE", `/v1/webhooks/${webhook.id}`, { token: caller.token });
    const failed = spentDelivery(webhook, caller.account);
    await runBatch(QUEUES.deadLetters, [failed]);
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM failed_deliveries WHERE webhook_id = ?")
      .bind(webhook.id)
      .first();
    expect(row).toEqual({ n: 0 });
  });
});
