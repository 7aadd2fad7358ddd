import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { MAX_QUEUE_DELAY_S } from "../../src/delivery/policy";
import { call, createWebhook, newCaller } from "../helpers";
import { captureQueue, deliveryMessage, dnsAnswer, QUEUES, runBatch, spyReceiver } from "../queue-helpers";

async function setup(overrides: Record<string, unknown> = {}) {
  const caller = await newCaller();
  const webhook = await createWebhook(caller, overrides);
  return {
    caller,
    webhook,
    deliveries: captureQueue(env.DELIVERIES),
    deadLetters: captureQueue(env.DEAD_LETTERS),
  };
}

/** A retry: attempt 2 of a delivery whose first attempt was 5 s ago. */
const job = (webhook: { id: string }, account: string, overrides: Record<string, unknown> = {}) =>
  deliveryMessage(webhook, account, {
    attempt: 2,
    first_attempt_at: new Date(Date.now() - 5000).toISOString(),
    ...overrides,
  });

const webhookOf = async (caller: { token: string }, id: string) =>
  (await call("GET", `/v1/webhooks/${id}`, { token: caller.token })).body;

describe("deliveries consumer", () => {
  it("acks a retry that lands and resets the failure streak", async () => {
    const { caller, webhook, deliveries } = await setup();
    await env.DB.prepare("UPDATE webhooks SET consecutive_failures = 3, failing_since = ?2 WHERE id = ?1")
      .bind(webhook.id, new Date().toISOString())
      .run();
    const { received } = spyReceiver();
    const message = job(webhook, caller.account);
    const { acked } = await runBatch(QUEUES.deliveries, [message]);
    expect(acked).toEqual([true]);
    expect(received[0]?.headers["webhook-id"]).toBe(message.job.message_id);
    expect(deliveries.sent).toEqual([]);
    expect(await webhookOf(caller, webhook.id)).toMatchObject({
      consecutive_failures: 0,
      failing_since: null,
      last_status: 200,
    });
  });

  it("hands a delivery whose schedule is spent to the dead-letter queue", async () => {
    const { caller, webhook, deliveries, deadLetters } = await setup();
    spyReceiver(() => new Response("down", { status: 500 }));
    // RETRY_DELAYS_S=1,1,1 in tests: attempt 4 is the last.
    await runBatch(QUEUES.deliveries, [job(webhook, caller.account, { attempt: 4 })]);
    expect(deliveries.sent).toEqual([]);
    expect(deadLetters.sent[0]?.body).toMatchObject({
      type: "failed",
      reason: "exhausted",
      attempts: 4,
      job: { last_status: 500, webhook_id: webhook.id },
    });
  });

  it("drops deliveries of a deleted webhook and of one switched off by hand, sending nothing", async () => {
    const { caller, webhook, deliveries, deadLetters } = await setup();
    const off = await createWebhook(caller, { is_active: false });
    await call("DELETE", `/v1/webhooks/${webhook.id}`, { token: caller.token });
    const { received } = spyReceiver();
    const { acked } = await runBatch(QUEUES.deliveries, [
      job(webhook, caller.account),
      job(off, caller.account),
    ]);
    expect(acked).toEqual([true, true]);
    expect(received).toEqual([]);
    expect(deliveries.sent).toEqual([]);
    expect(deadLetters.sent).toEqual([]);
  });

  it("waits longer than the 12 h queue cap in several hops", async () => {
    const { caller, webhook, deliveries } = await setup();
    const { received } = spyReceiver(() => new Response(null, { status: 500 }));
    const longWaits = { ...env, RETRY_DELAYS_S: "72000,86400" };
    await runBatch(QUEUES.deliveries, [job(webhook, caller.account, { attempt: 1 })], longWaits);
    const first = deliveries.sent[0];
    expect(first?.delaySeconds).toBe(MAX_QUEUE_DELAY_S);
    const dueIn = (first?.body.job.due_at - Date.now()) / 1000;
    expect(dueIn).toBeGreaterThan(72000 * 0.8 - 5);
    expect(dueIn).toBeLessThan(72000 * 1.2 + 5);

    // The hop arrives after 12 h: still early, so it is queued again for the rest, nothing sent.
    const early = { type: "delivery", job: { ...first?.body.job, due_at: Date.now() + 8 * 3600_000 } };
    await runBatch(QUEUES.deliveries, [early], longWaits);
    expect(received).toHaveLength(1);
    expect(deliveries.sent[1]?.delaySeconds).toBe(8 * 3600);
    expect(deliveries.sent[1]?.body.job.attempt).toBe(2);
  });

  it("gives up on a receiver that does not answer within the timeout and waits at least the overload floor", async () => {
    const { caller, webhook, deliveries } = await setup();
    vi.spyOn(globalThis, "fetch").mockImplementation(
      async (input, init) =>
        dnsAnswer(new Request(input)) ??
        new Promise((_, reject) =>
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
        ),
    );
    await runBatch(QUEUES.deliveries, [job(webhook, caller.account)], {
      ...env,
      DELIVERY_TIMEOUT_MS: "50",
      OVERLOAD_FLOOR_S: "30",
    });
    expect(deliveries.sent[0]?.body.job).toMatchObject({
      attempt: 3,
      last_status: null,
      last_error: "timeout",
    });
    expect(deliveries.sent[0]?.delaySeconds).toBeGreaterThanOrEqual(30);
  });

  it("retries only the message whose next step could not be stored", async () => {
    const { caller, webhook } = await setup();
    spyReceiver((_req, n) => new Response(null, { status: n === 2 ? 500 : 200 }));
    vi.spyOn(env.DELIVERIES, "sendBatch").mockRejectedValue(new Error("queue down"));
    vi.spyOn(console, "error").mockImplementation(() => {});
    const messages = [
      job(webhook, caller.account),
      job(webhook, caller.account),
      job(webhook, caller.account),
    ];
    const { acked, retried } = await runBatch(QUEUES.deliveries, messages);
    const failedIndex = retried.indexOf(true);
    expect(retried.filter(Boolean)).toHaveLength(1);
    expect(acked).toEqual(retried.map((r) => !r));
    expect(failedIndex).toBeGreaterThanOrEqual(0);
  });

  it("sets an unreadable message aside without holding up the others", async () => {
    const { caller, webhook, deadLetters } = await setup();
    const { received } = spyReceiver();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { acked } = await runBatch(QUEUES.deliveries, ["not json at all", job(webhook, caller.account)]);
    expect(acked).toEqual([true, true]);
    expect(received).toHaveLength(1);
    expect(deadLetters.sent[0]?.body).toMatchObject({ type: "poison", queue: QUEUES.deliveries });
  });

  it("reads at most 16 KiB of a huge response and says it was truncated", async () => {
    const { caller, webhook } = await setup();
    spyReceiver(() => new Response("x".repeat(5 * 1024 * 1024)));
    await runBatch(QUEUES.deliveries, [job(webhook, caller.account)]);
    const [entry] = (await call("GET", `/v1/webhooks/${webhook.id}/logs`, { token: caller.token })).body.data;
    expect(entry.response.body).toHaveLength(16 * 1024);
    expect(entry.response.body_truncated).toBe(true);
  });

  it("refuses at send time a destination that is not public", async () => {
    const { caller, webhook, deliveries } = await setup();
    await env.DB.prepare("UPDATE webhooks SET url = 'https://10.0.0.8/' WHERE id = ?").bind(webhook.id).run();
    const { received } = spyReceiver();
    await runBatch(QUEUES.deliveries, [job(webhook, caller.account)]);
    expect(received).toEqual([]);
    const [entry] = (await call("GET", `/v1/webhooks/${webhook.id}/logs`, { token: caller.token })).body.data;
    expect(entry).toMatchObject({
      success: false,
      response: null,
      error: expect.stringMatching(/^destination_blocked/),
    });
    expect(deliveries.sent[0]?.body.job.attempt).toBe(3);
  });
});
