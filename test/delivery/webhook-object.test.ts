// The webhook's object as the consumers meet it: what it lets go, what it keeps, and when.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DeliveryJob } from "../../src/delivery/job";
import { leaseMs, type WebhookState } from "../../src/delivery/object-api";
import { logEntry } from "../helpers";
import { alarmOf, later, waitingAt, withFakeDate } from "../queue-helpers";

withFakeDate();

const active: WebhookState = { active: true, disabled_reason: null, max_per_second: null };
let seq = 1;
const job = (webhookId: string, entity: number): DeliveryJob => ({
  webhook_id: webhookId,
  account_id: "acme",
  change_id: `chg_${seq}`,
  message_id: `msg_${seq}_${webhookId}`,
  entity: `user:${entity}`,
  seq: seq++,
  payload: { entity_id: entity, entity_type: "user", action_type: "update", result: { n: seq } },
  attempt: 1,
  first_attempt_at: null,
});
const objectOf = () => {
  const id = `wh_${crypto.randomUUID()}`;
  return { id, object: env.WEBHOOK_OBJECT.getByName(id) };
};
const ids = (jobs: DeliveryJob[]) => jobs.map((j) => j.message_id);
/** The failed deliveries the object holds for D1: message id, reason and attempts made. */
const outboxOf = (id: string) =>
  runInDurableObject(env.WEBHOOK_OBJECT.getByName(id), (_, state) =>
    state.storage.sql
      .exec<{ failure: string }>("SELECT failure FROM outbox ORDER BY id")
      .toArray()
      .map((row) => JSON.parse(row.failure) as { message_id: string; reason: string; attempts: number }),
  );

describe("a webhook's object", () => {
  it("lets as many go as the budget allows and keeps the rest, due at once", async () => {
    const { id, object } = objectOf();
    const jobs = [1, 2, 3, 4, 5].map((entity) => job(id, entity));
    expect(await object.begin(active, jobs, 2)).toEqual(ids(jobs.slice(0, 2)));
    expect((await waitingAt(id)).map((w) => [w.job.message_id, w.dueAt])).toEqual(
      jobs.slice(2).map((j) => [j.message_id, Date.now()]),
    );
    expect(await alarmOf(id)).not.toBeNull(); // due at once (the runtime keeps an alarm in the past as now)
    expect(ids(await object.claim(active, 10))).toEqual(ids(jobs.slice(2)));
  });

  it("starts at most max_per_second deliveries a second and keeps the rest for their turn", async () => {
    const { id, object } = objectOf();
    const paced = { ...active, max_per_second: 2 };
    const jobs = [1, 2, 3, 4, 5].map((entity) => job(id, entity));
    expect(await object.begin(paced, jobs, 100)).toHaveLength(2);
    expect(await object.claim(paced, 100)).toEqual([]);
    expect(await alarmOf(id)).toBe(Date.now() + 1000);
    later(1000);
    expect(await object.claim(paced, 100)).toHaveLength(2);
    later(1000);
    expect(await object.claim(paced, 100)).toHaveLength(1);
  });

  it("keeps a change that comes again while its delivery is out until that delivery's lease ends", async () => {
    const { id, object } = objectOf();
    const first = job(id, 1);
    expect(await object.begin(active, [first], 10)).toHaveLength(1);
    expect(await object.begin(active, [first], 10)).toEqual([]);
    expect((await waitingAt(id)).map((w) => w.dueAt)).toEqual([Date.now() + leaseMs(env)]);
    later(leaseMs(env));
    expect(ids(await object.claim(active, 10))).toEqual([first.message_id]);
  });

  it("records changes for a webhook disabled by the service as failed, and drops them for one switched off by hand", async () => {
    const { id, object } = objectOf();
    expect(
      await object.begin({ ...active, active: false, disabled_reason: "gone" }, [job(id, 1)], 10),
    ).toEqual([]);
    expect(await alarmOf(id)).not.toBeNull(); // its failed delivery goes to D1 with the alarm
    const other = objectOf();
    expect(await other.object.begin({ ...active, active: false }, [job(other.id, 1)], 10)).toEqual([]);
    expect(await waitingAt(other.id)).toEqual([]);
    expect(await alarmOf(other.id)).toBeNull();
  });

  it("after the slow lane took over an attempt, keeps the webhook's new changes for the deliveries consumer until an attempt is quick again", async () => {
    const { id, object } = objectOf();
    const [slow, next, later1] = [job(id, 1), job(id, 2), job(id, 3)];
    expect(await object.begin(active, [slow], 10)).toHaveLength(1);
    await object.handOff([slow], Date.now() + leaseMs(env), true);
    expect(await object.begin(active, [next], 10)).toEqual([]); // kept, due at once: the alarm wakes the consumer
    expect((await waitingAt(id)).map((w) => w.job.message_id)).toContain(next.message_id);
    expect(ids(await object.claim(active, 10))).toEqual([next.message_id]);
    await object.finish(
      active,
      [{ job: next, entry: logEntry({ duration_ms: 5 }), outcome: { kind: "delivered" } }],
      0,
    );
    expect(await object.begin(active, [later1], 10)).toEqual([later1.message_id]);
  });

  it("while the webhook is slow, answers a claim with at most CONCURRENT_SENDS deliveries, the rest kept for the next", async () => {
    const { id, object } = objectOf();
    const jobs = Array.from({ length: 10 }, (_, i) => job(id, i + 1));
    expect(await object.begin(active, jobs.slice(0, 1), 100)).toHaveLength(1);
    await object.handOff(jobs.slice(0, 1), Date.now() + leaseMs(env), true); // slow from now
    expect(await object.begin(active, jobs.slice(1), 100)).toEqual([]);
    const sends = Number(env.CONCURRENT_SENDS);
    const first: DeliveryJob[] = await object.claim(active, 100);
    expect(ids(first)).toEqual(ids(jobs.slice(1, 1 + sends)));
    expect(await waitingAt(id)).toHaveLength(10);
    await object.finish(
      active,
      first.map((j) => ({ job: j, entry: logEntry({ duration_ms: 5 }), outcome: { kind: "delivered" } })),
      0,
    ); // quick again
    expect(ids(await object.claim(active, 100))).toEqual(ids(jobs.slice(1 + sends)));
  });

  it("switched off while an attempt is out, fails what waits at once but leaves that attempt to settle", async () => {
    const { id, object } = objectOf();
    const out = job(id, 1);
    const held = { ...job(id, 1) };
    const paced = job(id, 2);
    expect(await object.begin(active, [out], 10)).toHaveLength(1);
    await object.handOff([out], Date.now() + leaseMs(env), true); // the slow lane took it over
    expect(await object.begin(active, [held, paced], 10)).toEqual([]); // held behind it; slow
    await object.switchedOff({ ...active, active: false });
    expect((await waitingAt(id)).map((w) => w.job.message_id)).toEqual([out.message_id]);
    expect((await outboxOf(id)).map((f) => [f.message_id, f.reason])).toEqual([
      [held.message_id, "deactivated"],
      [paced.message_id, "deactivated"],
    ]);
    // It was delivered after all: nothing of it is on record as failed.
    await object.finish(
      { ...active, active: false },
      [{ job: out, entry: logEntry({ duration_ms: 1500 }), outcome: { kind: "delivered" } }],
      0,
    );
    expect(await waitingAt(id)).toEqual([]);
    expect((await outboxOf(id)).map((f) => f.message_id)).not.toContain(out.message_id);
  });

  it("switched off while an attempt is out that then fails, records it with its attempt once it settles", async () => {
    const { id, object } = objectOf();
    const out = job(id, 1);
    await object.begin(active, [out], 10);
    await object.handOff([out], Date.now() + leaseMs(env), true);
    await object.switchedOff({ ...active, active: false });
    const retry = { ...out, attempt: 2, last_status: 500 };
    await object.finish(
      active, // what the late report still knew
      [
        {
          job: out,
          entry: logEntry({ duration_ms: 1500 }),
          outcome: { kind: "retry", dueAt: Date.now() + 1000, job: retry },
        },
      ],
      0,
    );
    later(1500);
    expect(await object.claim({ ...active, active: false }, 10)).toEqual([]);
    expect((await outboxOf(id)).map((f) => [f.message_id, f.reason, f.attempts])).toEqual([
      [out.message_id, "deactivated", 1],
    ]);
  });

  it("sets no alarm and keeps nothing while every delivery goes out and lands", async () => {
    const { id, object } = objectOf();
    const jobs = [job(id, 1), job(id, 2)];
    await object.begin(active, jobs, 10);
    expect(await waitingAt(id)).toEqual([]);
    expect(await alarmOf(id)).toBeNull();
  });
});
