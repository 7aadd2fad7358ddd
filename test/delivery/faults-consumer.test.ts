// Failures on our side, around the consumers: a crash between a receiver's 2xx and the ack, one
// bad message in a batch, a poison message, a dead-letter write that fails. Each ends delivered
// or recorded; none is acked without its next step stored.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { encryptSecret } from "../../src/webhooks/secrets";
import { faultTally } from "../fault-tally";
import { call, createWebhook, newCaller } from "../helpers";
import {
  captureQueue,
  changeMessage,
  deliveryMessage,
  QUEUES,
  runBatch,
  spyReceiver,
} from "../queue-helpers";

const faults = faultTally("consumer faults");

const job = (webhook: { id: string }, account: string) => deliveryMessage(webhook, account);

/** D1 statements still prepare, except the health update that follows every send. */
function crashAfterTheSend() {
  const prepare = env.DB.prepare.bind(env.DB);
  return vi.spyOn(env.DB, "prepare").mockImplementation((sql) => {
    if (/^\s*UPDATE webhooks SET\s+last_status/.test(sql)) throw new Error("the isolate went away");
    return prepare(sql);
  });
}

describe("a crash after the receiver said 2xx, before the ack", () => {
  it.each([
    ["deliveries", (webhook: { id: string }, account: string) => job(webhook, account)],
    ["changes", (_: { id: string }, account: string) => changeMessage({ account_id: account })],
  ] as const)(
    "on the %s queue: the message is retried, and the re-run sends the same webhook-id",
    async (queue, message) => {
      const injected = faults.inject();
      const caller = await newCaller();
      const webhook = await createWebhook(caller);
      captureQueue(env.DELIVERIES);
      const body = message(webhook, caller.account);
      const { received } = spyReceiver();
      const crash = crashAfterTheSend();
      vi.spyOn(console, "error").mockImplementation(() => {});
      const crashed = await runBatch(QUEUES[queue], [body]);
      expect(crashed).toMatchObject({ acked: [false], retried: [true] });
      expect(received).toHaveLength(1);

      crash.mockRestore();
      const again = await runBatch(QUEUES[queue], [body]);
      expect(again.acked).toEqual([true]);
      expect(received).toHaveLength(2);
      expect(received[1]?.headers["webhook-id"]).toBe(received[0]?.headers["webhook-id"]);
      injected.recovered();
    },
  );
});

describe("message k of a batch", () => {
  async function batchOfFive() {
    const caller = await newCaller();
    const webhooks = [];
    for (let i = 0; i < 5; i++)
      webhooks.push(await createWebhook(caller, { url: `https://r${i}.example.com/in` }));
    return { caller, webhooks, messages: webhooks.map((w) => job(w, caller.account)) };
  }

  it("meets a failing receiver: only its delivery is requeued, every message is acked", async () => {
    const injected = faults.inject();
    const { messages } = await batchOfFive();
    const deliveries = captureQueue(env.DELIVERIES);
    spyReceiver((req) => new Response(null, { status: req.url.includes("r2.") ? 500 : 200 }));
    const { acked } = await runBatch(QUEUES.deliveries, messages);
    expect(acked).toEqual([true, true, true, true, true]);
    expect(deliveries.sent.map((m) => m.body.job.message_id)).toEqual([messages[2]?.job.message_id]);

    const retry = deliveries.sent[0]?.body;
    const { received } = spyReceiver();
    await runBatch(QUEUES.deliveries, [{ ...retry, job: { ...retry.job, due_at: Date.now() } }]);
    expect(received.map((r) => r.headers["webhook-id"])).toEqual([messages[2]?.job.message_id]);
    injected.recovered();
  });

  it("fails on our side (its secret does not decrypt): only it is retried, the rest are delivered", async () => {
    const injected = faults.inject();
    const { webhooks, messages } = await batchOfFive();
    const broken = webhooks[3]?.id as string;
    const row = await env.DB.prepare("SELECT secret FROM webhooks WHERE id = ?")
      .bind(broken)
      .first<{ secret: string }>();
    const unreadable = await encryptSecret("whsec_x", broken, { current: "a-key-nobody-has", previous: [] });
    await env.DB.prepare("UPDATE webhooks SET secret = ? WHERE id = ?").bind(unreadable, broken).run();
    const { received } = spyReceiver();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const first = await runBatch(QUEUES.deliveries, messages);
    expect(first.retried).toEqual([false, false, false, true, false]);
    expect(first.acked).toEqual([true, true, true, false, true]);
    expect(received).toHaveLength(4);

    await env.DB.prepare("UPDATE webhooks SET secret = ? WHERE id = ?").bind(row?.secret, broken).run();
    expect((await runBatch(QUEUES.deliveries, [messages[3]])).acked).toEqual([true]);
    expect(received.at(-1)?.headers["webhook-id"]).toBe(messages[3]?.job.message_id);
    injected.recovered();
  });
});

describe("a poison message", () => {
  it("is set aside without holding up the batch, and kept in D1 for an operator", async () => {
    const injected = faults.inject();
    const caller = await newCaller();
    await createWebhook(caller);
    const deadLetters = captureQueue(env.DEAD_LETTERS);
    const { received } = spyReceiver();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const poison = `{"type":"change","oops":${crypto.randomUUID()}`;
    const batch = [
      changeMessage({ account_id: caller.account }),
      poison,
      changeMessage({ account_id: caller.account }),
    ];
    expect((await runBatch(QUEUES.changes, batch)).acked).toEqual([true, true, true]);
    expect(received).toHaveLength(2);

    await runBatch(
      QUEUES.deadLetters,
      deadLetters.sent.map((m) => m.body),
    );
    const kept = await env.DB.prepare("SELECT queue, raw FROM dead_letters WHERE raw LIKE ?")
      .bind(`%${poison.slice(-36)}%`)
      .first();
    expect(kept).toMatchObject({ queue: QUEUES.changes });
    injected.recorded();
  });
});

describe("recording a failed delivery", () => {
  it("is retried while D1 refuses the write, and recorded once it accepts it", async () => {
    const injected = faults.inject();
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const failed = {
      type: "failed",
      reason: "exhausted",
      attempts: 4,
      failed_at: new Date().toISOString(),
      job: job(webhook, caller.account).job,
    };
    const write = vi.spyOn(env.DB, "batch").mockRejectedValue(new Error("D1 is overloaded"));
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await runBatch(QUEUES.deadLetters, [failed])).toMatchObject({ acked: [false], retried: [true] });

    write.mockRestore();
    expect((await runBatch(QUEUES.deadLetters, [failed])).acked).toEqual([true]);
    const list = await call("GET", `/v1/webhooks/${webhook.id}/failed`, { token: caller.token });
    expect(list.body.data).toEqual([
      expect.objectContaining({ message_id: failed.job.message_id, reason: "exhausted" }),
    ]);
    injected.recorded();
  });
});
