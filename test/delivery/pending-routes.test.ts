// GET /v1/webhooks/{id}/pending as an admin (and the admin page) uses it: each state a delivery
// can wait in, paging, and another account's webhook. Retry now: test/schedule/retry-now.test.ts.
import { describe, expect, it } from "vitest";
import { type Caller, call, createWebhook, expectProblem, newCaller } from "../helpers";
import {
  changeMessage,
  dueAtOf,
  pendingOf,
  QUEUES,
  runBatch,
  spyReceiver,
  withFakeDate,
} from "../queue-helpers";

withFakeDate();

async function setup(overrides: Record<string, unknown> = {}) {
  const caller = await newCaller();
  const webhook = await createWebhook(caller, overrides);
  const push = (...entities: number[]) =>
    runBatch(
      QUEUES.changes,
      entities.map((entity_id, n) => changeMessage({ account_id: caller.account, entity_id, result: { n } })),
    );
  return { caller, webhook, push };
}
const retryNow = (caller: Caller, id: string) =>
  call("POST", `/v1/webhooks/${id}/pending/retry`, { token: caller.token });

describe("GET /v1/webhooks/{id}/pending", () => {
  it("lists a retry with its next attempt and last answer, and the changes held behind it", async () => {
    const { webhook, push } = await setup();
    spyReceiver(() => new Response("down", { status: 503 }));
    await push(42, 42, 7);
    const [retry, held, other] = await pendingOf(webhook.id);
    expect(retry).toMatchObject({
      entity_type: "user",
      entity_id: 42,
      action_type: "update",
      state: "retry",
      attempt: 2,
      last_status: 503,
      last_error: null,
      held_behind: null,
    });
    expect(dueAtOf(retry)).toBeGreaterThan(Date.now());
    expect(held).toMatchObject({
      entity_id: 42,
      state: "held",
      attempt: 1,
      next_attempt_at: null,
      held_behind: retry?.message_id,
    });
    expect(other).toMatchObject({ entity_id: 7, state: "retry", attempt: 2 });
    expect(Date.parse(retry?.created_at ?? "")).toBeLessThanOrEqual(Date.now());
  });

  it("lists a delivery waiting for its max_per_second turn as paced, with when it goes", async () => {
    const { webhook, push } = await setup({ max_per_second: 1 });
    spyReceiver();
    await push(1, 2);
    expect(await pendingOf(webhook.id)).toEqual([
      expect.objectContaining({
        entity_id: 2,
        state: "paced",
        attempt: 1,
        next_attempt_at: new Date(Date.now() + 1000).toISOString(),
      }),
    ]);
  });

  it("lists a delivery whose attempt is under way as out", async () => {
    const { webhook, push } = await setup();
    let answer: (res: Response) => void = () => {};
    spyReceiver(() => new Promise<Response>((resolve) => (answer = resolve)));
    const pushed = push(5);
    await expect.poll(async () => (await pendingOf(webhook.id)).map((p) => p.state)).toEqual(["out"]);
    answer(new Response("ok"));
    await pushed;
    expect(await pendingOf(webhook.id)).toEqual([]);
  });

  it("pages oldest first with a cursor, and refuses a cursor it did not hand out", async () => {
    const { caller, webhook, push } = await setup();
    spyReceiver(() => new Response(null, { status: 500 }));
    await push(1, 2, 3, 4, 5);
    const first = await call("GET", `/v1/webhooks/${webhook.id}/pending?limit=2`, { token: caller.token });
    expect(first.status, first.text).toBe(200);
    expect(first.body.data.map((p: { entity_id: number }) => p.entity_id)).toEqual([1, 2]);
    const rest = await call(
      "GET",
      `/v1/webhooks/${webhook.id}/pending?limit=10&cursor=${first.body.next_cursor}`,
      {
        token: caller.token,
      },
    );
    expect(rest.body).toMatchObject({ next_cursor: null });
    expect(rest.body.data.map((p: { entity_id: number }) => p.entity_id)).toEqual([3, 4, 5]);
    expectProblem(
      await call("GET", `/v1/webhooks/${webhook.id}/pending?cursor=zzz`, { token: caller.token }),
      400,
    );
  });

  it("answers 404 for another account's webhook, showing nothing", async () => {
    const { webhook } = await setup();
    const stranger = await newCaller();
    expectProblem(await call("GET", `/v1/webhooks/${webhook.id}/pending`, { token: stranger.token }), 404);
    expectProblem(await retryNow(stranger, webhook.id), 404);
  });
});
