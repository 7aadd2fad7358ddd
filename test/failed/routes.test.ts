import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { type Caller, call, createWebhook, newCaller } from "../helpers";
import { captureQueue, QUEUES, runBatch, spyReceiver } from "../queue-helpers";

async function withFailures(
  count: number,
  failedAt = (i: number) => new Date(Date.now() - i * 60_000).toISOString(),
) {
  const caller = await newCaller();
  const webhook = await createWebhook(caller);
  const messages = Array.from({ length: count }, (_, i) => ({
    type: "failed",
    reason: "exhausted",
    attempts: 10,
    failed_at: failedAt(i),
    job: {
      webhook_id: webhook.id,
      account_id: caller.account,
      change_id: `chg_${i}`,
      message_id: `msg_fail_${i}`,
      payload: { entity_id: i, entity_type: "company", action_type: "update", result: { n: i } },
      attempt: 10,
      first_attempt_at: null,
      last_status: 503,
    },
  }));
  await runBatch(QUEUES.deadLetters, messages);
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

describe("POST /v1/webhooks/{id}/recover", () => {
  it("queues every unrecovered failure since a time again with its webhook-id", async () => {
    const { caller, webhook } = await withFailures(3);
    const deliveries = captureQueue(env.DELIVERIES);
    const since = new Date(Date.now() - 90_000).toISOString();
    const res = await call("POST", `/v1/webhooks/${webhook.id}/recover`, {
      token: caller.token,
      json: { since },
    });
    expect(res.status, res.text).toBe(202);
    expect(res.body).toEqual({ queued: 2 });
    expect(deliveries.sent.map((m) => m.body.job.message_id).sort()).toEqual(["msg_fail_0", "msg_fail_1"]);
    expect(deliveries.sent[0]?.body.job).toMatchObject({
      attempt: 1,
      failed_id: expect.stringMatching(/^fd_/),
    });
    const rows = (await list(caller, webhook.id)).body.data;
    expect(rows.filter((r: { recovery_queued_at: string | null }) => r.recovery_queued_at)).toHaveLength(2);
  });

  it("does not queue again what an earlier recover queued and is still on its way", async () => {
    const { caller, webhook } = await withFailures(2);
    const deliveries = captureQueue(env.DELIVERIES);
    const since = "2026-01-01T00:00:00Z";
    const first = await call("POST", `/v1/webhooks/${webhook.id}/recover`, {
      token: caller.token,
      json: { since },
    });
    const second = await call("POST", `/v1/webhooks/${webhook.id}/recover`, {
      token: caller.token,
      json: { since },
    });
    expect([first.body, second.body]).toEqual([{ queued: 2 }, { queued: 0 }]);
    expect(deliveries.sent).toHaveLength(2);
  });

  it("queues again a recovered delivery that failed again", async () => {
    const { caller, webhook } = await withFailures(1);
    captureQueue(env.DELIVERIES);
    const since = "2026-01-01T00:00:00Z";
    await call("POST", `/v1/webhooks/${webhook.id}/recover`, { token: caller.token, json: { since } });
    const [row] = (await list(caller, webhook.id)).body.data;
    const refailed = {
      type: "failed",
      reason: "exhausted",
      attempts: 10,
      failed_at: new Date(Date.parse(row.recovery_queued_at) + 1000).toISOString(),
      job: {
        webhook_id: webhook.id,
        account_id: caller.account,
        change_id: row.change_id,
        message_id: row.message_id,
        payload: JSON.parse(row.body),
        attempt: 10,
        first_attempt_at: null,
      },
    };
    await runBatch(QUEUES.deadLetters, [refailed]);
    const again = await call("POST", `/v1/webhooks/${webhook.id}/recover`, {
      token: caller.token,
      json: { since },
    });
    expect(again.body).toEqual({ queued: 1 });
  });

  it("marks a recovered delivery once it lands", async () => {
    const { caller, webhook } = await withFailures(1);
    const deliveries = captureQueue(env.DELIVERIES);
    await call("POST", `/v1/webhooks/${webhook.id}/recover`, {
      token: caller.token,
      json: { since: "2026-01-01T00:00:00Z" },
    });
    spyReceiver();
    await runBatch(
      QUEUES.deliveries,
      deliveries.sent.map((m) => m.body),
    );
    const [row] = (await list(caller, webhook.id)).body.data;
    expect(row.recovered_at).toEqual(expect.any(String));
    expect(
      (await call("GET", `/v1/webhooks/${webhook.id}`, { token: caller.token })).body.failed_deliveries,
    ).toBe(0);
  });

  it("answers 409 while the webhook is not active, queuing nothing", async () => {
    const { caller, webhook } = await withFailures(1);
    await call("PATCH", `/v1/webhooks/${webhook.id}`, { token: caller.token, json: { is_active: false } });
    const deliveries = captureQueue(env.DELIVERIES);
    const res = await call("POST", `/v1/webhooks/${webhook.id}/recover`, {
      token: caller.token,
      json: { since: "2026-01-01T00:00:00Z" },
    });
    expect(res.status, res.text).toBe(409);
    expect(deliveries.spy).not.toHaveBeenCalled();
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

describe("POST /v1/webhooks/{id}/failed/{failed_id}/redeliver", () => {
  it("sends one failed delivery again now and marks it recovered", async () => {
    const { caller, webhook } = await withFailures(1);
    const [row] = (await list(caller, webhook.id)).body.data;
    const { received } = spyReceiver();
    const res = await call("POST", `/v1/webhooks/${webhook.id}/failed/${row.id}/redeliver`, {
      token: caller.token,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ kind: "redelivery", message_id: "msg_fail_0", success: true });
    expect(received[0]?.body).toBe(row.body);
    expect((await list(caller, webhook.id)).body.data[0].recovered_at).toEqual(expect.any(String));
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
