// The account hears that a webhook is failing an hour into the streak even when no attempt of it
// falls on that hour (retries after 5 s, 5 min, 30 min, then 2 h): its object looks on a timer
// (clock injected), and D1's health decides, once per streak and again each day it lasts. A
// notice the changes queue refuses is kept by the webhook's object and queued again.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminToken, call, createWebhook, newCaller } from "../helpers";
import {
  alarmOf,
  captureQueue,
  changeMessage,
  later,
  QUEUES,
  runAlarm,
  runBatch,
  spyReceiver,
  wake,
  withFakeDate,
} from "../queue-helpers";

withFakeDate();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A webhook whose receiver answers `status` (changeable), and one of the account that listens for webhook.failing. */
async function setup() {
  const caller = await newCaller();
  const subject = await createWebhook(caller, {
    url: "https://failing.example.com/in",
    triggers: ["user.update"],
  });
  const watcher = await createWebhook(caller, {
    url: "https://watcher.example.com/in",
    triggers: ["webhook.failing"],
  });
  const answer = { status: 500 };
  const { received } = spyReceiver(
    (req) => new Response(null, { status: req.url.startsWith("https://failing.") ? answer.status : 200 }),
  );
  // Wake-ups for the retry are kept, not run: no attempt happens unless the test makes one.
  captureQueue(env.DELIVERIES);
  const changes = captureQueue(env.CHANGES);
  const notices = () => changes.sent.map((m) => m.body).filter((body) => body.type === "notice");
  await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]);
  return { caller, subject, watcher, answer, received, notices, changes };
}

describe("the failing notice", () => {
  it("comes an hour into the streak without an attempt then, reaches the account's listener, and comes again a day later", async () => {
    const { caller, subject, watcher, received, notices } = await setup();
    expect(received.map((r) => r.url)).toEqual(["https://failing.example.com/in"]);

    later(30 * MINUTE);
    await runAlarm(subject.id);
    expect(notices()).toEqual([]); // half an hour in: not yet

    later(31 * MINUTE);
    await runAlarm(subject.id);
    expect(received).toHaveLength(1); // no attempt was made meanwhile
    expect(notices()).toMatchObject([{ type: "notice", action: "failing", webhook_id: subject.id }]);

    // Delivered like a change to the webhook that listens, never to the failing one.
    await runBatch(QUEUES.changes, notices());
    const toWatcher = received.filter((r) => r.url === "https://watcher.example.com/in");
    expect(toWatcher.map((r) => JSON.parse(r.body))).toMatchObject([
      { entity_type: "webhook", entity_id: subject.id, action_type: "failing", result: { id: subject.id } },
    ]);
    const token = await adminToken({ sub: caller.sub, account_id: caller.account }); // an hour on: a fresh one
    const logs = (await call("GET", `/v1/webhooks/${watcher.id}/logs`, { token })).body.data;
    expect(logs[0]).toMatchObject({ action_type: "failing", success: true });

    later(5 * HOUR);
    await runAlarm(subject.id);
    expect(notices()).toHaveLength(1); // once per streak…

    later(19 * HOUR);
    await runAlarm(subject.id);
    expect(notices()).toHaveLength(2); // …and again each day it lasts
    expect(notices()[1]).toMatchObject({ action: "failing", webhook_id: subject.id });
  });

  it("never comes for a streak that ends within the hour, and leaves no timer behind", async () => {
    const { subject, answer, received, notices } = await setup();
    answer.status = 200;
    later(2000);
    await wake(subject.id); // the retry, now delivered
    expect(received).toHaveLength(2);
    expect(await alarmOf(subject.id)).toBeNull();
    later(2 * HOUR);
    await runAlarm(subject.id);
    expect(notices()).toEqual([]);
  });

  it("is not sent for a webhook switched off by hand meanwhile", async () => {
    const { caller, subject, notices } = await setup();
    await call("PATCH", `/v1/webhooks/${subject.id}`, { token: caller.token, json: { is_active: false } });
    later(61 * MINUTE);
    await runAlarm(subject.id);
    expect(notices()).toEqual([]);
  });
});

describe("a notice the changes queue refuses", () => {
  it("is kept by the webhook's object and queued on its next try, once, as the same message", async () => {
    const { subject, notices, changes } = await setup();
    later(61 * MINUTE);
    const refused: unknown[] = [];
    changes.spy.mockImplementationOnce(async (messages) => {
      refused.push(...[...messages].map((m) => m.body));
      throw new Error("queue unavailable");
    });
    await runAlarm(subject.id);
    expect(notices()).toEqual([]);
    expect(refused).toHaveLength(1);
    expect(await alarmOf(subject.id)).not.toBeNull(); // the object tries again

    later(31_000);
    await runAlarm(subject.id);
    expect(notices()).toMatchObject([{ type: "notice", action: "failing", webhook_id: subject.id }]);
    const [queued] = notices();
    // The same identity (so the same webhook-id at receivers) and the same place in the order.
    expect(queued).toMatchObject({
      identity: (refused[0] as { identity: string }).identity,
      seq: (refused[0] as { seq: number }).seq,
    });

    later(MINUTE);
    await runAlarm(subject.id);
    expect(notices()).toEqual([queued]); // sent once: nothing kept any more
  });

  it("raised by a consumer's batch (a 410 disables the webhook) is kept by that webhook's object, not dropped", async () => {
    const caller = await newCaller();
    const subject = await createWebhook(caller, {
      url: "https://gone.example.com/in",
      triggers: ["user.update"],
    });
    await createWebhook(caller, { url: "https://watcher.example.com/in", triggers: ["webhook.disabled"] });
    spyReceiver((req) => new Response(null, { status: req.url.startsWith("https://gone.") ? 410 : 200 }));
    captureQueue(env.DELIVERIES);
    const changes = captureQueue(env.CHANGES);
    const notices = () => changes.sent.map((m) => m.body).filter((body) => body.type === "notice");
    changes.spy.mockRejectedValueOnce(new Error("queue unavailable"));
    await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]);
    expect((await call("GET", `/v1/webhooks/${subject.id}`, { token: caller.token })).body).toMatchObject({
      is_active: false,
      disabled_reason: "gone",
    });
    expect(notices()).toEqual([]);

    later(31_000);
    await runAlarm(subject.id);
    expect(notices()).toMatchObject([{ type: "notice", action: "disabled", webhook_id: subject.id }]);
  });
});
