// Retry now (POST /v1/webhooks/{id}/pending/retry) where retries wait long (this project's
// schedule: 100 s ±20 % for the first): a waiting retry goes at once, what is held behind it still
// goes after it, and a switched-off webhook answers 409.
import { describe, expect, it } from "vitest";
import { type Caller, call, createWebhook, expectProblem, newCaller } from "../helpers";
import {
  changeMessage,
  dueAtOf,
  pendingOf,
  QUEUES,
  runBatch,
  spyReceiver,
  wake,
  withFakeDate,
} from "../queue-helpers";

withFakeDate();

async function setup() {
  const caller = await newCaller();
  const webhook = await createWebhook(caller);
  const push = (...entities: number[]) =>
    runBatch(
      QUEUES.changes,
      entities.map((entity_id, n) => changeMessage({ account_id: caller.account, entity_id, result: { n } })),
    );
  return { caller, webhook, push };
}
const retryNow = (caller: Caller, id: string) =>
  call("POST", `/v1/webhooks/${id}/pending/retry`, { token: caller.token });

describe("POST /v1/webhooks/{id}/pending/retry (Retry now)", () => {
  it("sends a retry that would wait 80 s and more at once; the change held behind it still goes after it", async () => {
    const { caller, webhook, push } = await setup();
    const { received } = spyReceiver((_req, n) => new Response(null, { status: n === 1 ? 503 : 200 }));
    await push(42, 42, 7);
    const before = await pendingOf(webhook.id);
    expect(before.map((p) => [p.entity_id, p.state])).toEqual([
      [42, "retry"],
      [42, "held"],
    ]);
    expect(dueAtOf(before[0])).toBeGreaterThanOrEqual(Date.now() + 80_000);
    await wake(webhook.id); // not due: nothing goes
    expect(received).toHaveLength(2);
    const res = await retryNow(caller, webhook.id);
    expect(res.status, res.text).toBe(202);
    expect(res.body).toEqual({ due: 1 });
    await wake(webhook.id); // the object's alarm wakes the deliveries consumer at once; no time passed
    expect(received.map((r) => JSON.parse(r.body).result.n)).toEqual([0, 2, 0, 1]);
    expect(await pendingOf(webhook.id)).toEqual([]);
  });

  it("answers 0 when nothing waits for a retry, 409 while the webhook is switched off, and 404 for another account", async () => {
    const { caller, webhook } = await setup();
    expect((await retryNow(caller, webhook.id)).body).toEqual({ due: 0 });
    expectProblem(await retryNow(await newCaller(), webhook.id), 404);
    await call("PATCH", `/v1/webhooks/${webhook.id}`, { token: caller.token, json: { is_active: false } });
    expectProblem(await retryNow(caller, webhook.id), 409);
  });
});
