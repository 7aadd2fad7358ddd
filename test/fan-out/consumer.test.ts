import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import { messageIdFor } from "../../src/messages/payload";
import { call, createWebhook, INGEST_TOKEN, newCaller } from "../helpers";
import {
  captureQueue,
  changeMessage,
  dueAtOf,
  pendingOf,
  QUEUES,
  runAlarm,
  runBatch,
  spyReceiver,
} from "../queue-helpers";

async function setup(webhooks: Record<string, unknown>[] = [{}]) {
  const caller = await newCaller();
  const created = [];
  for (const overrides of webhooks) created.push(await createWebhook(caller, overrides));
  return { caller, created, deadLetters: captureQueue(env.DEAD_LETTERS) };
}

const getWebhook = async (caller: { token: string }, id: string) =>
  (await call("GET", `/v1/webhooks/${id}`, { token: caller.token })).body;
const logsOf = async (caller: { token: string }, id: string) =>
  (await call("GET", `/v1/webhooks/${id}/logs`, { token: caller.token })).body.data;
const failedOf = async (caller: { token: string }, id: string) => {
  await runAlarm(id); // the webhook's object writes its failed deliveries to D1
  return (await call("GET", `/v1/webhooks/${id}/failed`, { token: caller.token })).body.data as any[];
};

describe("fan-out consumer", () => {
  it("delivers a change to every matching webhook with the exact body and a verifiable signature", async () => {
    const { caller, created } = await setup([
      { url: "https://a.example.com/in" },
      { url: "https://b.example.com/in" },
    ]);
    const { received } = spyReceiver();
    const message = changeMessage({ account_id: caller.account, entity_id: 42, result: { name: "Ada" } });
    const { acked } = await runBatch(QUEUES.changes, [message]);
    expect(acked).toEqual([true]);
    expect(received.map((r) => r.url).sort()).toEqual([
      "https://a.example.com/in",
      "https://b.example.com/in",
    ]);
    for (const request of received) {
      expect(request.body).toBe(
        '{"entity_id":42,"entity_type":"user","action_type":"update","result":{"name":"Ada"}}',
      );
      const webhook = created.find((w) => w.url === request.url);
      expect(new Webhook(webhook?.secret as string).verify(request.body, request.headers)).toBeTruthy();
      expect(request.headers).toMatchObject({
        "content-type": "application/json",
        "user-agent": expect.stringMatching(/^EventInsight-Webhooks\/\d+\.\d+\.\d+$/),
        "webhook-id": await messageIdFor(message.identity, webhook?.id as string),
      });
    }
    const [first] = await logsOf(caller, created[0]?.id as string);
    expect(first).toMatchObject({ kind: "delivery", attempt: 1, success: true, response: { status: 200 } });
    expect(await getWebhook(caller, created[0]?.id as string)).toMatchObject({
      last_status: 200,
      consecutive_failures: 0,
    });
  });

  it("respects triggers and events, and skips inactive webhooks", async () => {
    const { caller, created } = await setup([
      { url: "https://all.example.com/" },
      { url: "https://company-only.example.com/", triggers: ["company.update"] },
      { url: "https://fair.example.com/", event_ids: ["ev_fair"] },
      { url: "https://gala.example.com/", event_ids: ["ev_gala"] },
      { url: "https://off.example.com/", is_active: false },
    ]);
    const { received } = spyReceiver();
    await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account, event_ids: ["ev_fair"] })]);
    expect(received.map((r) => r.url).sort()).toEqual([
      "https://all.example.com/",
      "https://fair.example.com/",
    ]);
    expect(await logsOf(caller, created[4]?.id as string)).toEqual([]);
  });

  it("passes every key of a record through, __proto__ and constructor included", async () => {
    const { caller } = await setup();
    const changes = captureQueue(env.CHANGES);
    const result = '{"__proto__":{"admin":true},"constructor":"x","name":"Ada"}';
    const pushed = await call("POST", "/v1/changes", {
      token: INGEST_TOKEN,
      body: `{"account_id":"${caller.account}","entity_type":"user","entity_id":1,"action_type":"update","result":${result}}`,
      headers: { "content-type": "application/json" },
    });
    expect(pushed.status, pushed.text).toBe(202);
    const { received } = spyReceiver();
    // Through the queue as JSON, as the platform carries it.
    await runBatch(
      QUEUES.changes,
      changes.sent.map((m) => JSON.parse(JSON.stringify(m.body))),
    );
    expect(received[0]?.body).toBe(
      `{"entity_id":1,"entity_type":"user","action_type":"update","result":${result}}`,
    );
  });

  it("sends a delete without result", async () => {
    const { caller } = await setup();
    const { received } = spyReceiver();
    await runBatch(QUEUES.changes, [
      changeMessage({ account_id: caller.account, action_type: "delete", result: undefined }),
    ]);
    expect(JSON.parse(received[0]?.body as string)).toEqual({
      entity_id: 42,
      entity_type: "user",
      action_type: "delete",
    });
  });

  it("gives the same webhook-id to a change pushed twice with the same change_id", async () => {
    const { caller } = await setup();
    const { received } = spyReceiver();
    await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account }, "same-change")]);
    await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account }, "same-change")]);
    expect(received[0]?.headers["webhook-id"]).toBe(received[1]?.headers["webhook-id"]);
  });

  it("keeps a retry with the same webhook-id and the next attempt in the webhook's object when the receiver answers 503", async () => {
    const { caller, created } = await setup();
    const { received } = spyReceiver(() => new Response("busy", { status: 503 }));
    const { acked } = await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]);
    expect(acked).toEqual([true]);
    const [retry, ...more] = await pendingOf(created[0]?.id as string);
    expect(more).toEqual([]);
    expect(retry).toMatchObject({
      state: "retry",
      message_id: received[0]?.headers["webhook-id"],
      attempt: 2,
      last_status: 503,
    });
    expect(dueAtOf(retry)).toBeGreaterThan(Date.now());
    expect(await getWebhook(caller, created[0]?.id as string)).toMatchObject({
      last_status: 503,
      consecutive_failures: 1,
    });
    const [entry] = await logsOf(caller, created[0]?.id as string);
    expect(entry).toMatchObject({ attempt: 1, success: false, response: { status: 503, body: "busy" } });
  });

  it("never follows a redirect: a 3xx is a logged failure and its Location is not requested", async () => {
    const { caller, created } = await setup();
    const { received } = spyReceiver(
      () => new Response(null, { status: 302, headers: { location: "http://169.254.169.254/" } }),
    );
    await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]);
    expect(received).toHaveLength(1);
    expect(await pendingOf(created[0]?.id as string)).toHaveLength(1);
    const [entry] = await logsOf(caller, created[0]?.id as string);
    expect(entry).toMatchObject({
      success: false,
      error: "redirect not followed",
      response: { status: 302 },
    });
  });

  it("disables the webhook at once on 410 Gone and records the delivery as failed", async () => {
    const { caller, created } = await setup();
    spyReceiver(() => new Response("gone", { status: 410 }));
    await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]);
    expect(await pendingOf(created[0]?.id as string)).toEqual([]);
    expect(await failedOf(caller, created[0]?.id as string)).toEqual([
      expect.objectContaining({ reason: "gone", attempts: 1 }),
    ]);
    expect(await getWebhook(caller, created[0]?.id as string)).toMatchObject({
      is_active: false,
      disabled_reason: "gone",
    });
  });

  it("keeps changes for a webhook disabled by the service as failed deliveries, sending nothing", async () => {
    const { caller, created } = await setup();
    await env.DB.prepare("UPDATE webhooks SET is_active = 0, disabled_reason = 'failing' WHERE id = ?")
      .bind(created[0]?.id)
      .run();
    const { received } = spyReceiver();
    await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]);
    expect(received).toEqual([]);
    expect(await failedOf(caller, created[0]?.id as string)).toEqual([
      expect.objectContaining({ reason: "disabled", attempts: 0 }),
    ]);
  });

  it("sets an unreadable message aside on the dead-letter queue and delivers the rest", async () => {
    const { caller, deadLetters } = await setup();
    const { received } = spyReceiver();
    const { acked } = await runBatch(QUEUES.changes, [
      { nonsense: true },
      changeMessage({ account_id: caller.account }),
    ]);
    expect(acked).toEqual([true, true]);
    expect(received).toHaveLength(1);
    expect(deadLetters.sent[0]?.body).toMatchObject({
      type: "poison",
      queue: QUEUES.changes,
      raw: '{"nonsense":true}',
    });
  });

  it("finds the webhooks of a whole batch with one D1 query, and each shows its delivery health after", async () => {
    const { caller, created } = await setup([{}, {}, { triggers: ["company.new"] }]);
    spyReceiver();
    const prepare = vi.spyOn(env.DB, "prepare");
    const changes = Array.from({ length: 5 }, (_, i) =>
      changeMessage({ account_id: caller.account, entity_id: i }),
    );
    await runBatch(QUEUES.changes, changes);
    const reads = prepare.mock.calls.filter(([sql]) => /^\s*SELECT/i.test(sql));
    expect(reads).toHaveLength(1);
    prepare.mockRestore();
    const health = await Promise.all(created.map((w) => getWebhook(caller, w.id)));
    expect(health.map((w) => w.last_status)).toEqual([200, 200, null]);
  });

  it("retries every message, acking none, when D1 cannot be read", async () => {
    await setup();
    vi.spyOn(env.DB, "prepare").mockImplementation(() => {
      throw new Error("D1 unavailable");
    });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { acked, retried } = await runBatch(QUEUES.changes, [changeMessage(), changeMessage()]);
    expect(acked).toEqual([false, false]);
    expect(retried).toEqual([true, true]);
  });

  it("retries the change when its webhook's object cannot take it, and acks the others", async () => {
    const { caller, created } = await setup([{ url: "https://fails.example.com/" }]);
    const other = await newCaller();
    await createWebhook(other, { url: "https://works.example.com/" });
    const { received } = spyReceiver();
    const unavailable = created[0]?.id;
    const getByName = env.WEBHOOK_OBJECT.getByName.bind(env.WEBHOOK_OBJECT);
    vi.spyOn(env.WEBHOOK_OBJECT, "getByName").mockImplementation((name) => {
      const stub = getByName(name);
      if (name !== unavailable) return stub;
      const refuse = () => Promise.reject(new Error("object unavailable"));
      return new Proxy(stub, {
        get: (target, prop) => (prop === "begin" ? refuse : Reflect.get(target, prop)),
      });
    });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { acked, retried } = await runBatch(QUEUES.changes, [
      changeMessage({ account_id: caller.account }),
      changeMessage({ account_id: other.account }),
    ]);
    expect(retried).toEqual([true, false]);
    expect(acked).toEqual([false, true]);
    expect(received.map((r) => r.url)).toEqual(["https://works.example.com/"]);
  });
});
