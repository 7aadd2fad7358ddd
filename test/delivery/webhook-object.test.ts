// The webhook's object as its callers meet it: what it lets go, what it keeps and lists as pending,
// what it records as failed, and whose configuration it trusts. Consumers' calls are made by hand
// here (begin, claim, report, configure as PATCH makes it); what follows is read through the API
// and the object's own answers.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DeliveryJob } from "../../src/delivery/job";
import { type Answer, type Holder, leaseMs } from "../../src/delivery/object-api";
import { call, createWebhook, logEntry, newCaller } from "../helpers";
import { captureQueue, later, withFakeDate } from "../queue-helpers";

withFakeDate();

const active = { active: true, disabled_reason: null, max_per_second: null };
let seq = 1;

/** A fresh webhook (as D1 has it: version 1) and its object. */
async function webhookObject(overrides: Record<string, unknown> = {}) {
  const caller = await newCaller();
  const webhook = await createWebhook(caller, overrides);
  const holder: Holder = { version: 1, state: { ...active, max_per_second: webhook.max_per_second } };
  const job = (entity: number): DeliveryJob => ({
    webhook_id: webhook.id,
    account_id: caller.account,
    change_id: `chg_${seq}`,
    message_id: `msg_${seq}_${webhook.id}`,
    entity: `user:${entity}`,
    seq: seq++,
    accepted_at: new Date().toISOString(),
    payload: { entity_id: entity, entity_type: "user", action_type: "update", result: { n: seq } },
    attempt: 1,
    first_attempt_at: null,
  });
  const failed = async () =>
    (await call("GET", `/v1/webhooks/${webhook.id}/failed`, { token: caller.token })).body.data as {
      message_id: string;
      reason: string;
      attempts: number;
    }[];
  const object = env.WEBHOOK_OBJECT.getByName(webhook.id);
  const pending = async () => (await object.pending(100, null)).items;
  return { id: webhook.id, object, holder, job, failed, pending };
}

/** The webhook-ids an answer lets go (or why it lets nothing go). */
const going = (answer: Answer) => (answer.kind === "go" ? answer.jobs.map((j) => j.message_id) : answer.kind);
const jobsOf = (answer: Answer) => (answer.kind === "go" ? answer.jobs : []);
const ids = (jobs: DeliveryJob[]) => jobs.map((j) => j.message_id);
/** An attempt of `job` (as let go, with its lease) that ended with `status` after `duration_ms`. */
const ended = (job: DeliveryJob, status: number, duration_ms = 5) => ({
  job,
  entry: logEntry({
    message_id: job.message_id,
    duration_ms,
    success: status < 300,
    response: { status, headers: {}, body: "", body_truncated: false },
  }),
});
const lease = (answer: Answer) => (answer.kind === "go" ? answer.lease : -1);

describe("a webhook's object", () => {
  it("lets as many go as the budget allows and keeps the rest, due at once", async () => {
    const { object, holder, job, pending } = await webhookObject();
    const jobs = [1, 2, 3, 4, 5].map(job);
    expect(going(await object.begin(holder, jobs, 2))).toEqual(ids(jobs.slice(0, 2)));
    expect(
      (await pending()).filter((p) => p.state === "paced").map((p) => [p.message_id, p.next_attempt_at]),
    ).toEqual(jobs.slice(2).map((j) => [j.message_id, new Date().toISOString()]));
    expect(going(await object.claim(holder, 10))).toEqual(ids(jobs.slice(2)));
  });

  it("starts at most max_per_second deliveries a second and keeps the rest for their turn", async () => {
    const { object, holder, job, pending } = await webhookObject({ max_per_second: 2 });
    const jobs = [1, 2, 3, 4, 5].map(job);
    expect(going(await object.begin(holder, jobs, 100))).toHaveLength(2);
    expect(going(await object.claim(holder, 100))).toEqual([]);
    const paced = (await pending()).filter((p) => p.state === "paced");
    expect(paced.map((p) => p.next_attempt_at)).toEqual(
      Array(3).fill(new Date(Date.now() + 1000).toISOString()),
    );
    later(1000);
    expect(going(await object.claim(holder, 100))).toHaveLength(2);
    later(1000);
    expect(going(await object.claim(holder, 100))).toHaveLength(1);
  });

  it("keeps a change that comes again while its delivery is out until that delivery's lease ends", async () => {
    const { object, holder, job, pending } = await webhookObject();
    const first = job(1);
    expect(going(await object.begin(holder, [first], 10))).toEqual([first.message_id]);
    expect(going(await object.begin(holder, [first], 10))).toEqual([]);
    expect(await pending()).toEqual([
      expect.objectContaining({ message_id: first.message_id, state: "out" }),
    ]);
    later(leaseMs(env));
    expect(going(await object.claim(holder, 10))).toEqual([first.message_id]);
  });

  it("records changes for a webhook disabled by the service as failed, and drops them for one switched off by hand", async () => {
    const gone = await webhookObject();
    const disabled = {
      ...gone.holder,
      state: { ...active, active: false, disabled_reason: "gone" as const },
    };
    const change = gone.job(1);
    expect(going(await gone.object.begin(disabled, [change], 10))).toEqual([]);
    expect(await gone.failed()).toEqual([
      expect.objectContaining({ message_id: change.message_id, reason: "disabled" }),
    ]);
    const off = await webhookObject();
    const switchedOff = { ...off.holder, state: { ...active, active: false } };
    expect(going(await off.object.begin(switchedOff, [off.job(1)], 10))).toEqual([]);
    expect(await off.pending()).toEqual([]);
    expect(await off.failed()).toEqual([]);
    expect(await runDurableObjectAlarm(off.object)).toBe(false); // nothing to do later either
  });

  it("after the slow lane took over an attempt, keeps the webhook's new changes for the deliveries consumer until an attempt is quick again", async () => {
    const { object, holder, job, pending } = await webhookObject();
    const [slow, next, afterwards] = [job(1), job(2), job(3)];
    const [slowOut] = jobsOf(await object.begin(holder, [slow], 10));
    await object.report(holder, { handedOff: [slowOut as DeliveryJob] }, 0);
    expect(going(await object.begin(holder, [next], 10))).toEqual([]); // kept, due at once: the alarm wakes the consumer
    expect((await pending()).map((p) => p.message_id)).toContain(next.message_id);
    const claimed = jobsOf(await object.claim(holder, 10));
    expect(ids(claimed)).toEqual([next.message_id]);
    await object.report(holder, { finished: claimed.map((j) => ended(j, 200)) }, 0); // quick again
    expect(going(await object.begin(holder, [afterwards], 10))).toEqual([afterwards.message_id]);
  });

  it("while the webhook is slow, answers a claim with at most CONCURRENT_SENDS deliveries, the rest kept for the next", async () => {
    const { object, holder, job, pending } = await webhookObject();
    const jobs = Array.from({ length: 10 }, (_, i) => job(i + 1));
    const [out] = jobsOf(await object.begin(holder, jobs.slice(0, 1), 100));
    await object.report(holder, { handedOff: [out as DeliveryJob] }, 0); // slow from now
    expect(going(await object.begin(holder, jobs.slice(1), 100))).toEqual([]);
    const sends = Number(env.CONCURRENT_SENDS);
    const first = jobsOf(await object.claim(holder, 100));
    expect(ids(first)).toEqual(ids(jobs.slice(1, 1 + sends)));
    expect(await pending()).toHaveLength(10);
    await object.report(holder, { finished: first.map((j) => ended(j, 200)) }, 0); // quick again
    expect(going(await object.claim(holder, 100))).toEqual(ids(jobs.slice(1 + sends)));
  });

  it("switched off while an attempt is out, fails what waits at once but leaves that attempt to settle", async () => {
    const { object, holder, job, failed, pending } = await webhookObject();
    const out = job(1);
    const held = job(1);
    const paced = job(2);
    const answer = await object.begin(holder, [out], 10);
    const [sent] = jobsOf(answer);
    // The slow lane took it over, and its round ended.
    await object.report(holder, { handedOff: [sent as DeliveryJob] }, 0);
    await object.report(holder, { closes: lease(answer) }, 0);
    expect(going(await object.begin(holder, [held, paced], 10))).toEqual([]); // held behind it; slow
    await object.configure({ version: 2, state: { ...active, active: false }, deleted: false });
    expect((await pending()).map((p) => [p.message_id, p.state])).toEqual([[out.message_id, "out"]]);
    expect((await failed()).map((f) => [f.message_id, f.reason]).sort()).toEqual(
      [
        [held.message_id, "deactivated"],
        [paced.message_id, "deactivated"],
      ].sort(),
    );
    // It was delivered after all: nothing of it is on record as failed.
    await object.report(holder, { finished: [ended(sent as DeliveryJob, 200, 1500)] }, 0);
    expect(await pending()).toEqual([]);
    expect((await failed()).map((f) => f.message_id)).not.toContain(out.message_id);
  });

  it("switched off while an attempt is out that then fails, records it with its attempt once it settles", async () => {
    const { object, holder, job, failed } = await webhookObject();
    const out = job(1);
    const answer = await object.begin(holder, [out], 10);
    const [sent] = jobsOf(answer);
    await object.report(holder, { handedOff: [sent as DeliveryJob], closes: lease(answer) }, 0);
    const off = { version: 2, state: { ...active, active: false } };
    await object.configure({ ...off, deleted: false });
    await object.report(holder, { finished: [ended(sent as DeliveryJob, 500, 1500)] }, 0); // a late report
    later(1500);
    expect(going(await object.claim(off, 10))).toEqual([]);
    expect((await failed()).map((f) => [f.message_id, f.reason, f.attempts])).toEqual([
      [out.message_id, "deactivated", 1],
    ]);
  });

  it("keeps nothing and sets no alarm while every delivery goes out and lands", async () => {
    const { object, holder, job, pending } = await webhookObject();
    const sent = jobsOf(await object.begin(holder, [job(1), job(2)], 10));
    await object.report(holder, { finished: sent.map((j) => ended(j, 200)) }, 10);
    expect(await pending()).toEqual([]);
    expect(await runDurableObjectAlarm(object)).toBe(false);
  });
});

describe("the configuration a webhook's object trusts", () => {
  it("lets nothing go to a caller that read the webhook before its last change, and keeps it for one that reads it afresh", async () => {
    const { object, holder, job, pending } = await webhookObject();
    await object.configure({ version: 2, state: active, deleted: false });
    const change = job(1);
    expect(going(await object.begin(holder, [change], 10))).toBe("stale");
    expect(await pending()).toEqual([
      expect.objectContaining({ message_id: change.message_id, state: "paced" }),
    ]);
    expect(going(await object.claim(holder, 10))).toBe("stale");
    expect(going(await object.claim({ ...holder, version: 2 }, 10))).toEqual([change.message_id]);
  });

  it("wakes the deliveries consumer again a second after a claim came with an old configuration, not at once", async () => {
    const { object, holder, job } = await webhookObject();
    await object.configure({ version: 2, state: active, deleted: false });
    await object.begin(holder, [job(1)], 10); // stale: kept, due at once
    const wakes = captureQueue(env.DELIVERIES);
    expect(going(await object.claim(holder, 10))).toBe("stale");
    await runDurableObjectAlarm(object);
    expect(wakes.single).not.toHaveBeenCalled();
    later(1000);
    await runDurableObjectAlarm(object);
    expect(wakes.single).toHaveBeenCalledTimes(1);
  });

  it("takes a newer configuration from a caller when it missed the change that made it", async () => {
    const { object, holder, job } = await webhookObject();
    const newer = { version: 3, state: { ...active, max_per_second: 1 } };
    expect(going(await object.begin(newer, [job(1), job(2)], 10))).toHaveLength(1); // paced at 1 a second
    expect(going(await object.claim(holder, 10))).toBe("stale");
  });

  it("answers a change only once no delivery let go under the old configuration can still start", async () => {
    const { object, holder, job } = await webhookObject();
    const answer = await object.begin(holder, [job(1)], 10);
    let applied = false;
    const change = object
      .configure({ version: 2, state: active, deleted: false })
      .then(() => (applied = true));
    await object.pending(1, null); // the change has reached the object
    expect(applied).toBe(false); // the delivery let go under version 1 may still start
    await object.report(
      holder,
      { handedBack: jobsOf(answer).map((j) => ({ job: j, dueAt: Date.now() })), closes: lease(answer) },
      0,
    );
    await change;
    expect(applied).toBe(true);
  });

  it("answers a deleted webhook's callers that it is gone", async () => {
    const { object, holder, job } = await webhookObject();
    await object.clear();
    expect(going(await object.begin(holder, [job(1)], 10))).toBe("gone");
    expect(going(await object.claim(holder, 10))).toBe("gone");
  });
});

describe("a report that comes after its lease ended", () => {
  it("of a failure, leaves the delivery to the attempt made since: no retry of its own", async () => {
    const { object, holder, job, pending } = await webhookObject();
    const change = job(1);
    const [first] = jobsOf(await object.begin(holder, [change], 10));
    await object.report(holder, { handedOff: [first as DeliveryJob] }, 0);
    later(leaseMs(env)); // nobody reported: the object makes it again
    const [again] = jobsOf(await object.claim(holder, 10));
    expect(again?.lease).not.toBe(first?.lease);
    await object.report(holder, { finished: [ended(first as DeliveryJob, 500)] }, 0); // the first one, late
    expect(await pending()).toEqual([
      expect.objectContaining({ message_id: change.message_id, state: "out" }),
    ]);
    await object.report(holder, { finished: [ended(again as DeliveryJob, 200)] }, 0);
    expect(await pending()).toEqual([]);
  });

  it("of a delivery, settles it: the attempt made since only lands, whatever it says", async () => {
    const { object, holder, job, pending, failed } = await webhookObject();
    const change = job(1);
    const [first] = jobsOf(await object.begin(holder, [change], 10));
    await object.report(holder, { handedOff: [first as DeliveryJob] }, 0);
    later(leaseMs(env));
    const [again] = jobsOf(await object.claim(holder, 10));
    await object.report(holder, { finished: [ended(first as DeliveryJob, 200)] }, 0); // delivered after all
    await object.report(holder, { finished: [ended(again as DeliveryJob, 500)] }, 0);
    expect(await pending()).toEqual([]);
    expect(await failed()).toEqual([]);
  });
});

describe("a failed delivery sent again by an admin", () => {
  const resend = (job: DeliveryJob) => ({ ...job, failed_id: `fd_${job.message_id}` });

  it("goes when nothing newer of its entity is out or waits, and then holds newer changes behind it", async () => {
    const { object, holder, job, pending } = await webhookObject();
    const old = resend(job(1));
    const answer = await object.manual(holder, old);
    expect(answer.kind).toBe("go");
    const newer = job(1);
    expect(going(await object.begin(holder, [newer], 10))).toEqual([]);
    expect(await pending()).toEqual([
      expect.objectContaining({ message_id: old.message_id, state: "out" }),
      expect.objectContaining({ message_id: newer.message_id, state: "held", held_behind: old.message_id }),
    ]);
    await object.manualDone(answer.kind === "go" ? answer.lease : 0, ended(old, 200).entry, old);
    expect(going(await object.claim(holder, 10))).toEqual([newer.message_id]);
  });

  it("is superseded while a newer change of its entity is out, or waits for a retry", async () => {
    const { object, holder, job } = await webhookObject();
    const old = resend(job(1));
    const newer = job(1);
    await object.begin(holder, [newer], 10);
    expect(await object.manual(holder, old)).toEqual({ kind: "superseded" });
    expect(await object.recover([old])).toEqual({ queued: [], superseded: [old.failed_id] });
  });

  it("is busy while it is on its way already", async () => {
    const { object, holder, job } = await webhookObject();
    const old = resend(job(1));
    expect(await object.recover([old])).toEqual({ queued: [old.failed_id], superseded: [] });
    expect(await object.manual(holder, old)).toEqual({ kind: "busy" });
  });
});
