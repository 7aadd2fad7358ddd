import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { GUARD_MARGIN_S, guardDelaySeconds, overdueAt, slowAfterMs } from "../../src/delivery/slow-lane";
import worker from "../../src/index";
import { call, createWebhook, newCaller } from "../helpers";
import { captureQueue, dnsAnswer, QUEUES, runBatch, spyReceiver } from "../queue-helpers";

const slowLane = { ...env, SLOW_LANE_AFTER_MS: "20" };

async function setup() {
  const caller = await newCaller();
  const webhook = await createWebhook(caller);
  const job = {
    webhook_id: webhook.id,
    account_id: caller.account,
    change_id: "chg_slow",
    message_id: `msg_${crypto.randomUUID().slice(0, 8)}`,
    payload: { entity_id: 1, entity_type: "user", action_type: "update", result: { a: 1 } },
    attempt: 1,
    first_attempt_at: null,
  };
  return {
    caller,
    webhook,
    job,
    deliveries: captureQueue(env.DELIVERIES),
    deadLetters: captureQueue(env.DEAD_LETTERS),
  };
}

/** A receiver that answers only when the test says so (DNS lookups of its host at once). */
function heldReceiver(status = 200) {
  let release = () => {};
  const answered = new Promise<void>((resolve) => (release = resolve));
  const requests: string[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    const dns = dnsAnswer(new Request(input));
    if (dns) return dns;
    requests.push(String(input));
    await answered;
    return new Response("late", { status });
  });
  return { requests, release };
}

const logsOf = async (caller: { token: string }, id: string) =>
  (await call("GET", `/v1/webhooks/${id}/logs`, { token: caller.token })).body.data as any[];

describe("the slow lane", () => {
  it("lets the batch finish while a slow receiver is still answering, guarded by a message", async () => {
    const { caller, webhook, job, deliveries } = await setup();
    const receiver = heldReceiver();
    const message = {
      id: crypto.randomUUID(),
      timestamp: new Date(),
      attempts: 1,
      body: { type: "delivery", job },
    };
    const batch = createMessageBatch(QUEUES.deliveries, [message]);
    const ctx = createExecutionContext();

    await worker.queue(batch, slowLane, ctx); // returns although the receiver has not answered
    expect(receiver.requests).toHaveLength(1);
    expect(await logsOf(caller, webhook.id)).toEqual([]);
    expect(deliveries.sent).toEqual([
      { body: { type: "delivery", job: { ...job, guard: true } }, delaySeconds: expect.any(Number) },
    ]);
    expect(deliveries.sent[0]?.delaySeconds).toBeGreaterThan(GUARD_MARGIN_S);

    receiver.release();
    const result = await getQueueResult(batch, ctx); // waits for the hand-off to finish
    expect(result.explicitAcks).toEqual([message.id]);
    expect(await logsOf(caller, webhook.id)).toEqual([
      expect.objectContaining({ success: true, message_id: job.message_id }),
    ]);
    expect(await env.REQUEST_LOG.getByName(webhook.id).isSettled(job.message_id, 1)).toBe(true);
  });

  it("queues the retry of a slow failure from the slow lane", async () => {
    const { job, deliveries } = await setup();
    const receiver = heldReceiver(503);
    const run = runBatch(QUEUES.deliveries, [{ type: "delivery", job }], slowLane);
    await vi.waitUntil(() => deliveries.sent.length === 1);
    receiver.release();
    await run;
    expect(deliveries.sent.map((m) => [m.body.job.attempt, m.body.job.guard ?? false])).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it("a guard whose attempt settled sends nothing", async () => {
    const { job, deliveries } = await setup();
    const receiver = heldReceiver();
    const run = runBatch(QUEUES.deliveries, [{ type: "delivery", job }], slowLane);
    await vi.waitUntil(() => deliveries.sent.length === 1); // handed off, guard queued
    receiver.release();
    await run;
    const { acked } = await runBatch(QUEUES.deliveries, [{ type: "delivery", job: { ...job, guard: true } }]);
    expect(acked).toEqual([true]);
    expect(receiver.requests).toHaveLength(1);
  });

  it("a guard whose attempt never settled makes the attempt again, with the same webhook-id", async () => {
    const { caller, webhook, job } = await setup();
    const { received } = spyReceiver();
    await runBatch(QUEUES.deliveries, [{ type: "delivery", job: { ...job, guard: true } }]);
    expect(received.map((r) => r.headers["webhook-id"])).toEqual([job.message_id]);
    expect(await logsOf(caller, webhook.id)).toEqual([
      expect.objectContaining({ attempt: 1, success: true }),
    ]);
  });

  it.each([
    ["whose exchange has not begun (still decrypting, resolving, signing)", {}, Infinity],
    ["waiting for the receiver since t=1000", { startedAt: 1000 }, 1100],
    ["whose exchange is over (now writing its log)", { startedAt: 1000, endedAt: 1500 }, Infinity],
  ])("times only the exchange: a job %s is due for the slow lane at %s", (_, clock, expected) => {
    expect(overdueAt({ clock }, 100)).toBe(expected);
  });

  it.each([
    ["a hanging receiver next to quick ones", [3, 4, 5], 4, 100],
    ["a busy runtime where every exchange takes ~150 ms", [140, 150, 160, 170], 6, 600],
    ["a batch of which less than half has finished", [3, 4], 10, 500],
    ["a batch where nothing has finished yet", [], 1, 500],
  ])("hands off outliers only: %s", (_, finished, exchanges, expected) => {
    expect(slowAfterMs(100, finished, exchanges)).toBe(expected);
  });

  it.each([
    [15_000, 250, 15 + GUARD_MARGIN_S],
    [2_000, 250, 2 + GUARD_MARGIN_S],
    [1_000, 1_000, GUARD_MARGIN_S],
  ])("a guard for a %s ms timeout handed off after %s ms looks after %s s", (timeout, elapsed, expected) => {
    expect(guardDelaySeconds(timeout, elapsed)).toBe(expected);
  });
});
