import { createExecutionContext, createScheduledController, evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import {
  type Caller,
  call,
  createWebhook,
  expectProblem,
  failedDelivery,
  newCaller,
  recordFailed,
} from "../helpers";
import {
  changeMessage,
  dnsAnswer,
  later,
  pendingOf,
  QUEUES,
  runAlarm,
  runBatch,
  spyReceiver,
  wake,
  withFakeDate,
} from "../queue-helpers";

withFakeDate();

/** A webhook with `count` failed deliveries recorded (of entities 0, 1, …), failed at `failedAt(i)`. */
async function withFailures(
  count: number,
  failedAt = (i: number) => new Date(Date.now() - i * 60_000).toISOString(),
) {
  const caller = await newCaller();
  const webhook = await createWebhook(caller);
  await recordFailed(
    ...Array.from({ length: count }, (_, i) =>
      failedDelivery(webhook, caller.account, {
        message_id: `msg_fail_${i}`,
        seq: i,
        payload: { entity_id: i, entity_type: "company", action_type: "update", result: { n: i } },
        failed_at: failedAt(i),
      }),
    ),
  );
  return { caller, webhook };
}

const list = (caller: Caller, id: string, query = "") =>
  call("GET", `/v1/webhooks/${id}/failed${query}`, { token: caller.token });

describe("GET /v1/webhooks/{id}/failed", () => {
  it("lists failed deliveries newest first, paged", async () => {
    const { caller, webhook } = await withFailures(3);
    const first = await list(caller, webhook.id, "?limit=2");
    expect(first.status, first.text).toBe(200);
    expect(first.body.data.map((f: { message_id: string }) => f.message_id)).toEqual([
      "msg_fail_0",
      "msg_fail_1",
    ]);
    const second = await list(caller, webhook.id, `?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body).toEqual({
      data: [expect.objectContaining({ message_id: "msg_fail_2" })],
      next_cursor: null,
    });
  });

  it("lists only those since the given time", async () => {
    const { caller, webhook } = await withFailures(3, (i) =>
      new Date(Date.now() - i * 3600_000).toISOString(),
    );
    const since = new Date(Date.now() - 90 * 60_000).toISOString();
    const res = await list(caller, webhook.id, `?since=${since}`);
    expect(res.body.data).toHaveLength(2);
  });

  it.each([
    ["?since=yesterday", "since"],
    ["?limit=0", "limit"],
    ["?cursor=zzz", "cursor"],
  ])("refuses %s with 400", async (query, path) => {
    const { caller, webhook } = await withFailures(0);
    const res = await list(caller, webhook.id, query);
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors[0].path).toBe(path);
  });
});

const recover = (caller: Caller, id: string, since = "2026-01-01T00:00:00Z") =>
  call("POST", `/v1/webhooks/${id}/recover`, { token: caller.token, json: { since } });

describe("POST /v1/webhooks/{id}/recover", () => {
  it("hands every unrecovered failure since a time to the webhook's object, which sends it with its webhook-id", async () => {
    const { caller, webhook } = await withFailures(3);
    const since = new Date(Date.now() - 90_000).toISOString();
    const res = await recover(caller, webhook.id, since);
    expect(res.status, res.text).toBe(202);
    expect(res.body).toEqual({ queued: 2, superseded: 0 });
    const waiting = await pendingOf(webhook.id);
    expect(waiting.map((w) => w.message_id).sort()).toEqual(["msg_fail_0", "msg_fail_1"]);
    // Each failed delivery sent again waits its turn as a retry, with a fresh schedule.
    for (const w of waiting) expect(w).toMatchObject({ state: "retry", attempt: 1 });
    const rows = (await list(caller, webhook.id)).body.data;
    expect(rows.filter((r: { recovery_queued_at: string | null }) => r.recovery_queued_at)).toHaveLength(2);

    const { received } = spyReceiver();
    await wake(webhook.id);
    expect(received.map((r) => r.headers["webhook-id"]).sort()).toEqual(["msg_fail_0", "msg_fail_1"]);
  });

  it("does not queue again what an earlier recover queued and is still on its way", async () => {
    const { caller, webhook } = await withFailures(2);
    const first = await recover(caller, webhook.id);
    const second = await recover(caller, webhook.id);
    expect([first.body, second.body]).toEqual([
      { queued: 2, superseded: 0 },
      { queued: 0, superseded: 0 },
    ]);
    expect(await pendingOf(webhook.id)).toHaveLength(2);
  });

  it("queues again a recovered delivery that failed again", async () => {
    const { caller, webhook } = await withFailures(1);
    spyReceiver(() => new Response(null, { status: 500 }));
    await recover(caller, webhook.id);
    for (let i = 0; i < 4; i++) {
      await wake(webhook.id); // RETRY_DELAYS_S=1,1,1: four attempts, then failed again
      later(1500);
    }
    expect(await pendingOf(webhook.id)).toEqual([]);
    await runAlarm(webhook.id);
    expect((await recover(caller, webhook.id)).body).toEqual({ queued: 1, superseded: 0 });
  });

  it("marks a recovered delivery once it lands", async () => {
    const { caller, webhook } = await withFailures(1);
    await recover(caller, webhook.id);
    spyReceiver();
    await wake(webhook.id);
    const [row] = (await list(caller, webhook.id)).body.data;
    expect(row.recovered_at).toEqual(expect.any(String));
    expect(
      (await call("GET", `/v1/webhooks/${webhook.id}`, { token: caller.token })).body.failed_deliveries,
    ).toBe(0);
  });

  it("answers 409 while the webhook is not active, queuing nothing", async () => {
    const { caller, webhook } = await withFailures(1);
    await call("PATCH", `/v1/webhooks/${webhook.id}`, { token: caller.token, json: { is_active: false } });
    const res = await recover(caller, webhook.id);
    expect(res.status, res.text).toBe(409);
    expect(await pendingOf(webhook.id)).toEqual([]);
  });

  it.each([[{}], [{ since: "last week" }], [{ since: "2026-01-01T00:00:00Z", extra: 1 }]])(
    "refuses %j with 400",
    async (json) => {
      const { caller, webhook } = await withFailures(0);
      const res = await call("POST", `/v1/webhooks/${webhook.id}/recover`, { token: caller.token, json });
      expect(res.status, res.text).toBe(400);
    },
  );
});

/** Change A of user 5 fails for good; then B of user 5 is delivered: A is older than what the receiver has. */
async function supersededFailure() {
  const caller = await newCaller();
  const webhook = await createWebhook(caller);
  const change = (name: string) =>
    changeMessage({ account_id: caller.account, entity_id: 5, result: { name } });
  const { received } = spyReceiver(
    (req) => new Response(null, { status: req.body.includes('"A"') ? 500 : 200 }),
  );
  await runBatch(QUEUES.changes, [change("A")]);
  for (let i = 0; i < 3; i++) {
    later(1500);
    await wake(webhook.id);
  }
  await runBatch(QUEUES.changes, [change("B")]);
  await runAlarm(webhook.id);
  const [failed] = (await list(caller, webhook.id)).body.data;
  expect(failed).toMatchObject({ reason: "exhausted" });
  expect(received.filter((r) => r.body.includes('"B"'))).toHaveLength(1);
  return { caller, webhook, failed, received };
}

describe("a failed delivery older than a change of its entity delivered since", () => {
  it("is not sent by recover, and is listed as superseded", async () => {
    const { caller, webhook, received } = await supersededFailure();
    const sent = received.length;
    expect((await recover(caller, webhook.id)).body).toEqual({ queued: 0, superseded: 1 });
    await wake(webhook.id);
    expect(received).toHaveLength(sent);
    expect((await list(caller, webhook.id)).body.data).toEqual([
      expect.objectContaining({ reason: "superseded" }),
    ]);
    const got = await call("GET", `/v1/webhooks/${webhook.id}`, { token: caller.token });
    expect(got.body.failed_deliveries).toBe(0);
  });

  it("is still superseded after the webhook's object was evicted", async () => {
    const { caller, webhook } = await supersededFailure();
    await evictDurableObject(env.WEBHOOK_OBJECT.getByName(webhook.id));
    expect((await recover(caller, webhook.id)).body).toEqual({ queued: 0, superseded: 1 });
  });

  it("is refused by redeliver with 409, sending nothing, and listed as superseded", async () => {
    const { caller, webhook, failed, received } = await supersededFailure();
    const sent = received.length;
    const res = await call("POST", `/v1/webhooks/${webhook.id}/failed/${failed.id}/redeliver`, {
      token: caller.token,
    });
    expect(res.status, res.text).toBe(409);
    expect(received).toHaveLength(sent);
    expect((await list(caller, webhook.id)).body.data[0].reason).toBe("superseded");
  });

  it("may still be sent again from the request log: an admin's explicit choice", async () => {
    const { caller, webhook, received } = await supersededFailure();
    const logs = (await call("GET", `/v1/webhooks/${webhook.id}/logs`, { token: caller.token })).body.data;
    const a = logs.find((e: { request: { body: string } }) => e.request.body.includes('"A"'));
    const res = await call("POST", `/v1/webhooks/${webhook.id}/logs/${a.id}/redeliver`, {
      token: caller.token,
    });
    expect(res.status, res.text).toBe(200);
    expect(received.at(-1)?.body).toContain('"A"');
  });
});

describe("failed_deliveries on the webhook", () => {
  it("counts only unrecovered failures within the 30 days kept", async () => {
    const { caller, webhook } = await withFailures(2, (i) =>
      new Date(Date.now() - i * 31 * 24 * 3600_000).toISOString(),
    );
    const got = await call("GET", `/v1/webhooks/${webhook.id}`, { token: caller.token });
    expect(got.body.failed_deliveries).toBe(1);
  });
});

describe("the cron", () => {
  it("purges failed deliveries older than 30 days", async () => {
    const { caller, webhook } = await withFailures(2, (i) =>
      new Date(Date.now() - i * 31 * 24 * 3600_000).toISOString(),
    );
    vi.spyOn(console, "log").mockImplementation(() => {});
    await worker.scheduled(
      createScheduledController({ scheduledTime: Date.now() }),
      env,
      createExecutionContext(),
    );
    const rows = (await list(caller, webhook.id, "?since=2000-01-01T00:00:00Z")).body.data;
    expect(rows.map((r: { message_id: string }) => r.message_id)).toEqual(["msg_fail_0"]);
  });
});

describe("a failed delivery's details", () => {
  it("carry the body as sent, the receiver's last answer cut to 1 KiB, and the error, listed and one by one", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const answer = `${"ü".repeat(600)} receiver down for maintenance`; // 1,230 bytes of UTF-8
    spyReceiver(() => new Response(answer, { status: 410 }));
    await runBatch(QUEUES.changes, [
      changeMessage({ account_id: caller.account, entity_id: 9, result: { name: "Ada" } }),
    ]);
    const [listed] = (await list(caller, webhook.id)).body.data;
    expect(listed).toMatchObject({
      reason: "gone",
      payload: { entity_id: 9, entity_type: "user", action_type: "update", result: { name: "Ada" } },
      last_status: 410,
      last_error: null,
      last_response: { status: 410, body: "ü".repeat(512), body_truncated: true },
    });
    const one = await call("GET", `/v1/webhooks/${webhook.id}/failed/${listed.id}`, { token: caller.token });
    expect(one.status, one.text).toBe(200);
    expect(one.body).toEqual(listed);
  });

  it("of a receiver that never answered: no last answer, the error instead", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    vi.spyOn(globalThis, "fetch").mockImplementation(
      async (input) => dnsAnswer(new Request(input)) ?? Promise.reject(new TypeError("connection refused")),
    );
    await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]);
    for (let i = 0; i < 3; i++) {
      later(1500);
      await wake(webhook.id);
    }
    const [failed] = (await list(caller, webhook.id)).body.data;
    expect(failed).toMatchObject({
      reason: "exhausted",
      attempts: 4,
      last_status: null,
      last_response: null,
      last_error: "connection refused",
    });
  });

  it("are another account's: 404, as an id that does not exist", async () => {
    const { caller, webhook } = await withFailures(1);
    const [failed] = (await list(caller, webhook.id)).body.data;
    expectProblem(
      await call("GET", `/v1/webhooks/${webhook.id}/failed/${failed.id}`, {
        token: (await newCaller()).token,
      }),
      404,
    );
    expectProblem(
      await call("GET", `/v1/webhooks/${webhook.id}/failed/fd_nope`, { token: caller.token }),
      404,
    );
  });
});
