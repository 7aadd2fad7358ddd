// Retries and other waiting deliveries: kept by the webhook's object, sent by the deliveries
// consumer when the object wakes it.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { SYSTEM_RETRY_MS } from "../../src/delivery/reports";
import { call, createWebhook, newCaller } from "../helpers";
import {
  captureQueue,
  changeMessage,
  dnsAnswer,
  dueAtOf,
  later,
  pendingOf,
  QUEUES,
  runBatch,
  spyReceiver,
  wake,
  withFakeDate,
} from "../queue-helpers";

withFakeDate();

async function setup(overrides: Record<string, unknown> = {}) {
  const caller = await newCaller();
  const webhook = await createWebhook(caller, overrides);
  const push = (testEnv: Env = env, change: Record<string, unknown> = {}) =>
    runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account, ...change })], testEnv);
  return { caller, webhook, push };
}

const webhookOf = async (caller: { token: string }, id: string) =>
  (await call("GET", `/v1/webhooks/${id}`, { token: caller.token })).body;
const failedOf = async (caller: { token: string }, id: string) =>
  (await call("GET", `/v1/webhooks/${id}/failed`, { token: caller.token })).body.data as any[];
const logsOf = async (caller: { token: string }, id: string) =>
  (await call("GET", `/v1/webhooks/${id}/logs`, { token: caller.token })).body.data as any[];

describe("a delivery that needs a retry", () => {
  it("waits in its webhook's object and goes out once due, with the same webhook-id", async () => {
    const { caller, webhook, push } = await setup();
    const { received } = spyReceiver((_req, n) => new Response(null, { status: n === 1 ? 500 : 200 }));
    const { acked } = await push();
    expect(acked).toEqual([true]);
    const [waiting] = await pendingOf(webhook.id);
    expect(waiting).toMatchObject({ state: "retry", attempt: 2, last_status: 500 });
    // RETRY_DELAYS_S=1,1,1 in tests: W = 1 s ± 20 %.
    expect(dueAtOf(waiting)).toBeGreaterThanOrEqual(Date.now() + 800);
    expect(dueAtOf(waiting)).toBeLessThanOrEqual(Date.now() + 1200);

    await wake(webhook.id); // too early: nothing is due
    expect(received).toHaveLength(1);
    later(1500);
    const woken = await wake(webhook.id);
    expect(woken.acked).toEqual([true]);
    expect(received.map((r) => r.headers["webhook-id"])).toEqual([
      received[0]?.headers["webhook-id"],
      received[0]?.headers["webhook-id"],
    ]);
    expect(await pendingOf(webhook.id)).toEqual([]);
    expect(await webhookOf(caller, webhook.id)).toMatchObject({ consecutive_failures: 0, last_status: 200 });
  });

  it("is recorded as failed once its schedule is spent, and not tried again", async () => {
    const { caller, webhook, push } = await setup();
    const { received } = spyReceiver(() => new Response("down", { status: 500 }));
    await push();
    for (let i = 0; i < 4; i++) {
      later(1500);
      await wake(webhook.id);
    }
    expect(received).toHaveLength(4); // RETRY_DELAYS_S=1,1,1: four attempts
    expect(await pendingOf(webhook.id)).toEqual([]);
    expect(await failedOf(caller, webhook.id)).toEqual([
      expect.objectContaining({ reason: "exhausted", attempts: 4, last_status: 500 }),
    ]);
  });

  it("after a timeout waits at least the overload floor", async () => {
    const { webhook, push } = await setup();
    vi.spyOn(globalThis, "fetch").mockImplementation(
      async (input, init) =>
        dnsAnswer(new Request(input)) ??
        new Promise((_, reject) =>
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
        ),
    );
    await push({ ...env, DELIVERY_TIMEOUT_MS: "50" });
    const [waiting] = await pendingOf(webhook.id);
    expect(waiting).toMatchObject({ state: "retry", attempt: 2, last_status: null, last_error: "timeout" });
    // OVERLOAD_FLOOR_S=1 in tests: the retry's 1 s ± 20 % is raised to at least 1 s.
    expect(dueAtOf(waiting)).toBeGreaterThanOrEqual(Date.now() + 1000);
  });

  it("that failed on our side (a secret that does not decrypt) waits in its object and is made later", async () => {
    const { caller, webhook, push } = await setup();
    await env.DB.prepare("UPDATE webhooks SET secret = 'v1.nokey.AAAA.AAAA' WHERE id = ?")
      .bind(webhook.id)
      .run();
    const { received } = spyReceiver();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { acked } = await push();
    expect(acked).toEqual([true]);
    expect(received).toEqual([]);
    const [waiting] = await pendingOf(webhook.id);
    expect(waiting?.attempt).toBe(1);
    expect(dueAtOf(waiting)).toBe(Date.now() + SYSTEM_RETRY_MS);
    expect(await logsOf(caller, webhook.id)).toEqual([]);
  });

  it("to a destination that is not public is not sent, is logged, and is retried", async () => {
    const { caller, webhook, push } = await setup();
    await env.DB.prepare("UPDATE webhooks SET url = 'https://10.0.0.8/' WHERE id = ?").bind(webhook.id).run();
    const { received } = spyReceiver();
    await push();
    expect(received).toEqual([]);
    const [entry] = await logsOf(caller, webhook.id);
    expect(entry).toMatchObject({
      success: false,
      response: null,
      error: expect.stringMatching(/^destination_blocked/),
    });
    expect((await pendingOf(webhook.id))[0]?.attempt).toBe(2);
  });
});

describe("waiting deliveries of a webhook", () => {
  it("get no more tries when it is switched off by hand, are recorded as failed at once, and go out again on recover once it is active", async () => {
    const { caller, webhook, push } = await setup();
    const { received } = spyReceiver((_req, n) => new Response(null, { status: n === 1 ? 500 : 200 }));
    await push();
    expect(await pendingOf(webhook.id)).toHaveLength(1);
    const since = new Date(Date.now() - 60_000).toISOString();
    await call("PATCH", `/v1/webhooks/${webhook.id}`, { token: caller.token, json: { is_active: false } });
    expect(await pendingOf(webhook.id)).toEqual([]);
    later(1500);
    await wake(webhook.id);
    expect(received).toHaveLength(1);
    expect(await failedOf(caller, webhook.id)).toEqual([
      expect.objectContaining({ reason: "deactivated", attempts: 1, last_status: 500 }),
    ]);
    const refused = await call("POST", `/v1/webhooks/${webhook.id}/recover`, {
      token: caller.token,
      json: { since },
    });
    expect(refused.status).toBe(409);

    await call("PATCH", `/v1/webhooks/${webhook.id}`, { token: caller.token, json: { is_active: true } });
    const recovered = await call("POST", `/v1/webhooks/${webhook.id}/recover`, {
      token: caller.token,
      json: { since },
    });
    expect(recovered.body).toMatchObject({ queued: 1 });
    await wake(webhook.id);
    expect(received.map((r) => r.headers["webhook-id"])).toEqual([
      received[0]?.headers["webhook-id"],
      received[0]?.headers["webhook-id"],
    ]);
  });

  it("are noticed as switched off by the deliveries consumer if the object missed the switch-off", async () => {
    const { caller, webhook, push } = await setup();
    const { received } = spyReceiver(() => new Response(null, { status: 500 }));
    await push();
    // Switched off in D1 only (as a PATCH saves it), as if the object had not answered the PATCH.
    await env.DB.prepare(
      "UPDATE webhooks SET is_active = 0, config_version = config_version + 1 WHERE id = ?",
    )
      .bind(webhook.id)
      .run();
    expect(await pendingOf(webhook.id)).toHaveLength(1);
    later(1500);
    await wake(webhook.id);
    expect(received).toHaveLength(1);
    expect(await pendingOf(webhook.id)).toEqual([]);
    expect(await failedOf(caller, webhook.id)).toEqual([expect.objectContaining({ reason: "deactivated" })]);
  });

  it("go with it when it is deleted", async () => {
    const { caller, webhook, push } = await setup();
    const { received } = spyReceiver(() => new Response(null, { status: 500 }));
    await push();
    expect(await pendingOf(webhook.id)).toHaveLength(1);
    await call("DELETE", `/v1/webhooks/${webhook.id}`, { token: caller.token });
    later(1500);
    await wake(webhook.id);
    expect(received).toHaveLength(1);
    expect(await pendingOf(webhook.id)).toEqual([]);
  });

  it("wake the deliveries consumer through the object's alarm when they are due", async () => {
    const { webhook, push } = await setup();
    spyReceiver(() => new Response(null, { status: 500 }));
    await push();
    const wakes = captureQueue(env.DELIVERIES);
    const object = env.WEBHOOK_OBJECT.getByName(webhook.id);
    expect(await runDurableObjectAlarm(object)).toBe(true); // rung early: nothing is due yet
    expect(wakes.single).not.toHaveBeenCalled();
    later(1500);
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect(wakes.single.mock.calls.map(([body]) => body)).toEqual([{ type: "wake", webhook_id: webhook.id }]);
  });
});

describe("the deliveries consumer", () => {
  it("sets an unreadable message aside without holding up the others", async () => {
    const { webhook, push } = await setup();
    spyReceiver((_req, n) => new Response(null, { status: n === 1 ? 500 : 200 }));
    await push();
    const deadLetters = captureQueue(env.DEAD_LETTERS);
    vi.spyOn(console, "error").mockImplementation(() => {});
    later(1500);
    const { acked } = await runBatch(QUEUES.deliveries, [
      "not json at all",
      { type: "wake", webhook_id: webhook.id },
    ]);
    expect(acked).toEqual([true, true]);
    expect(await pendingOf(webhook.id)).toEqual([]);
    expect(deadLetters.sent[0]?.body).toMatchObject({ type: "poison", queue: QUEUES.deliveries });
  });

  it("reads at most 16 KiB of a huge response and says it was truncated", async () => {
    const { caller, webhook, push } = await setup();
    spyReceiver(() => new Response("x".repeat(5 * 1024 * 1024)));
    await push();
    const [entry] = await logsOf(caller, webhook.id);
    expect(entry.response.body).toHaveLength(16 * 1024);
    expect(entry.response.body_truncated).toBe(true);
  });
});
