// Failures on our side, around the consumers: a crash between a receiver's 2xx and storing the
// outcome, one webhook of a batch failing, a poison message, a write of failed deliveries that D1
// refuses. Each ends delivered or recorded; none is acked without its next step stored.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { leaseMs } from "../../src/delivery/object-api";
import { SYSTEM_RETRY_MS } from "../../src/delivery/reports";
import { messageIdFor } from "../../src/messages/payload";
import { encryptSecret } from "../../src/webhooks/secrets";
import { faultTally } from "../fault-tally";
import { type Caller, call, createWebhook, newCaller } from "../helpers";
import {
  captureQueue,
  changeMessage,
  later,
  pendingOf,
  QUEUES,
  runAlarm,
  runBatch,
  spyReceiver,
  wake,
  withFakeDate,
} from "../queue-helpers";

const faults = faultTally("consumer faults");

withFakeDate();

/** The isolate goes away after the send, before the webhook's object heard the outcome. */
function crashBeforeTheOutcomeIsStored() {
  const getByName = env.WEBHOOK_OBJECT.getByName.bind(env.WEBHOOK_OBJECT);
  return vi.spyOn(env.WEBHOOK_OBJECT, "getByName").mockImplementation((name) => {
    const stub = getByName(name);
    return new Proxy(stub, {
      get: (target, prop) =>
        prop === "report"
          ? () => Promise.reject(new Error("the isolate went away"))
          : Reflect.get(target, prop),
    });
  });
}

async function track(caller: Caller, webhook: { id: string }, message: { identity: string }) {
  const messageId = await messageIdFor(message.identity, webhook.id);
  faults.track({ token: caller.token, webhookId: webhook.id, messageId });
  return messageId;
}

describe("a crash after the receiver said 2xx, before its outcome was stored", () => {
  it("on the changes queue: the change is retried, and its delivery is made again with the same webhook-id once its lease ends", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const body = changeMessage({ account_id: caller.account });
    const messageId = await track(caller, webhook, body);
    const { received } = spyReceiver();
    const crash = crashBeforeTheOutcomeIsStored();
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await runBatch(QUEUES.changes, [body])).toMatchObject({ acked: [false], retried: [true] });
    expect(received).toHaveLength(1);

    crash.mockRestore();
    expect((await runBatch(QUEUES.changes, [body])).acked).toEqual([true]);
    expect(received).toHaveLength(1); // the first attempt may still be out: it waits for its lease
    later(leaseMs(env) + 1);
    await wake(webhook.id);
    expect(received.map((r) => r.headers["webhook-id"])).toEqual([messageId, messageId]);
    expect(await pendingOf(webhook.id)).toEqual([]);
  });

  it("on the deliveries queue: the claimed retry is made again with the same webhook-id once its lease ends", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const body = changeMessage({ account_id: caller.account });
    const messageId = await track(caller, webhook, body);
    const { received } = spyReceiver((_req, n) => new Response(null, { status: n === 1 ? 500 : 200 }));
    await runBatch(QUEUES.changes, [body]);
    later(1500);
    const crash = crashBeforeTheOutcomeIsStored();
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect((await wake(webhook.id)).acked).toEqual([true]); // the object keeps the claimed retry
    expect(received).toHaveLength(2);

    crash.mockRestore();
    expect(await pendingOf(webhook.id)).toEqual([
      expect.objectContaining({ message_id: messageId, state: "out" }),
    ]);
    later(leaseMs(env) + 1);
    await wake(webhook.id);
    expect(received.map((r) => r.headers["webhook-id"])).toEqual([messageId, messageId, messageId]);
    expect(await pendingOf(webhook.id)).toEqual([]);
  });
});

describe("one webhook of a batch", () => {
  async function fiveWebhooks() {
    const caller = await newCaller();
    const webhooks = [];
    for (let i = 0; i < 5; i++)
      webhooks.push(await createWebhook(caller, { url: `https://r${i}.example.com/in` }));
    const body = changeMessage({ account_id: caller.account });
    const ids = await Promise.all(webhooks.map((w) => track(caller, w, body)));
    return { webhooks, body, ids };
  }

  it("meets a failing receiver: only its delivery waits for a retry, the change is acked", async () => {
    const { webhooks, body, ids } = await fiveWebhooks();
    const { received } = spyReceiver(
      (req) => new Response(null, { status: req.url.includes("r2.") ? 500 : 200 }),
    );
    expect((await runBatch(QUEUES.changes, [body])).acked).toEqual([true]);
    expect(received).toHaveLength(5);
    for (const [i, webhook] of webhooks.entries())
      expect(await pendingOf(webhook.id)).toHaveLength(i === 2 ? 1 : 0);

    const retried = spyReceiver().received;
    later(1500);
    await wake(webhooks[2]?.id as string);
    expect(retried.map((r) => r.headers["webhook-id"])).toEqual([ids[2]]);
  });

  it("fails on our side (its secret does not decrypt): it waits in its object, the rest are delivered", async () => {
    const { webhooks, body, ids } = await fiveWebhooks();
    const broken = webhooks[3]?.id as string;
    const row = await env.DB.prepare("SELECT secret FROM webhooks WHERE id = ?")
      .bind(broken)
      .first<{ secret: string }>();
    const unreadable = await encryptSecret("whsec_x", broken, { current: "a-key-nobody-has", previous: [] });
    await env.DB.prepare("UPDATE webhooks SET secret = ? WHERE id = ?").bind(unreadable, broken).run();
    const { received } = spyReceiver();
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect((await runBatch(QUEUES.changes, [body])).acked).toEqual([true]);
    expect(received).toHaveLength(4);
    expect(await pendingOf(broken)).toEqual([
      expect.objectContaining({
        message_id: ids[3],
        state: "retry",
        attempt: 1,
        next_attempt_at: new Date(Date.now() + SYSTEM_RETRY_MS).toISOString(),
      }),
    ]);

    await env.DB.prepare("UPDATE webhooks SET secret = ? WHERE id = ?").bind(row?.secret, broken).run();
    later(SYSTEM_RETRY_MS + 1);
    await wake(broken);
    expect(received.at(-1)?.headers["webhook-id"]).toBe(ids[3]);
  });
});

describe("a poison message", () => {
  it("is set aside without holding up the batch, and kept in D1 for an operator", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const deadLetters = captureQueue(env.DEAD_LETTERS);
    const { received } = spyReceiver();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const poison = `{"type":"change","oops":${crypto.randomUUID()}`;
    const good = [
      changeMessage({ account_id: caller.account }),
      changeMessage({ account_id: caller.account }),
    ];
    for (const message of good) await track(caller, webhook, message);
    expect((await runBatch(QUEUES.changes, [good[0], poison, good[1]])).acked).toEqual([true, true, true]);
    expect(received).toHaveLength(2);

    await runBatch(
      QUEUES.deadLetters,
      deadLetters.sent.map((m) => m.body),
    );
    const kept = await env.DB.prepare("SELECT queue, raw FROM dead_letters WHERE raw LIKE ?")
      .bind(`%${poison.slice(-36)}%`)
      .first();
    expect(kept).toMatchObject({ queue: QUEUES.changes });
  });
});

describe("writing a failed delivery to D1", () => {
  it("is tried again while D1 refuses it, and the delivery is listed once D1 accepts", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const body = changeMessage({ account_id: caller.account });
    const messageId = await track(caller, webhook, body);
    spyReceiver(() => new Response(null, { status: 410 })); // failed for good at once
    const write = vi.spyOn(env.DB, "batch").mockRejectedValue(new Error("D1 is overloaded"));
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect((await runBatch(QUEUES.changes, [body])).acked).toEqual([true]);
    write.mockRestore();
    const listed = async () =>
      (await call("GET", `/v1/webhooks/${webhook.id}/failed`, { token: caller.token })).body.data.map(
        (f: { message_id: string }) => f.message_id,
      );
    expect(await listed()).toEqual([]);
    expect(await runAlarm(webhook.id)).toBe(true); // too early: the object waits before trying D1 again
    expect(await listed()).toEqual([]);
    later(60_000);
    expect(await runAlarm(webhook.id)).toBe(true);
    expect(await listed()).toEqual([messageId]);
  });
});
