import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { exchangeTimes, overdueAt, slowAfterMs } from "../../src/delivery/slow-lane";
import worker from "../../src/index";
import { call, createWebhook, newCaller } from "../helpers";
import { changeMessage, dnsAnswer, dueAtOf, pendingOf, QUEUES, runBatch } from "../queue-helpers";

const slowLane = { ...env, SLOW_LANE_AFTER_MS: "20" };

/** A receiver that answers only when the test says so (DNS lookups of its host at once). */
function heldReceiver(status = 200) {
  let release = () => {};
  const answered = new Promise<void>((resolve) => (release = resolve));
  const requests: string[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    const dns = dnsAnswer(new Request(input));
    if (dns) return dns;
    requests.push(String(input));
    await answered;
    return new Response("late", { status });
  });
  return { requests, release };
}

async function setup() {
  const caller = await newCaller();
  const webhook = await createWebhook(caller);
  return { caller, webhook, message: changeMessage({ account_id: caller.account }) };
}

const logsOf = async (caller: { token: string }, id: string) =>
  (await call("GET", `/v1/webhooks/${id}/logs`, { token: caller.token })).body.data as any[];

describe("the slow lane", () => {
  it("lets the batch finish while a slow receiver is still answering, the delivery kept by its object meanwhile", async () => {
    const { caller, webhook, message } = await setup();
    const receiver = heldReceiver();
    const queued = { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: message };
    const batch = createMessageBatch(QUEUES.changes, [queued]);
    const ctx = createExecutionContext();

    await worker.queue(batch, slowLane, ctx); // returns although the receiver has not answered
    expect(receiver.requests).toHaveLength(1);
    expect(await logsOf(caller, webhook.id)).toEqual([]);
    // Out, and kept by its object: should this background work die, it is made again once its
    // lease ends.
    expect(await pendingOf(webhook.id)).toEqual([expect.objectContaining({ state: "out", attempt: 1 })]);

    receiver.release();
    const result = await getQueueResult(batch, ctx); // waits for the hand-off to finish
    expect(result.explicitAcks).toEqual([queued.id]);
    expect(await logsOf(caller, webhook.id)).toEqual([
      expect.objectContaining({ success: true, attempt: 1 }),
    ]);
    expect(await pendingOf(webhook.id)).toEqual([]);
  });

  it("with many receivers hanging, lets another webhook's deliveries through in the same batch and keeps the hanging ones' unsent deliveries in their objects", async () => {
    const caller = await newCaller();
    const hanging = await Promise.all(
      Array.from({ length: 8 }, (_, i) => createWebhook(caller, { url: `https://hang-${i}.example.com/` })),
    );
    const quick = await createWebhook(caller, { url: "https://quick.example.com/" });
    let release = () => {};
    const answered = new Promise<void>((resolve) => (release = resolve));
    const requests = new Map<string, number>();
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      const dns = dnsAnswer(new Request(input));
      if (dns) return dns;
      const host = new URL(String(input)).hostname;
      requests.set(host, (requests.get(host) ?? 0) + 1);
      if (host !== "quick.example.com") await answered;
      return new Response("ok");
    });
    const messages = [1, 2, 3, 4, 5].map((entity_id) => ({
      id: crypto.randomUUID(),
      timestamp: new Date(),
      attempts: 1,
      body: changeMessage({ account_id: caller.account, entity_id }),
    }));
    const batch = createMessageBatch(QUEUES.changes, messages);
    const ctx = createExecutionContext();
    const testEnv = { ...slowLane, CONCURRENT_SENDS: "3" };

    await worker.queue(batch, testEnv, ctx); // returns while eight receivers still hang
    expect(requests.get("quick.example.com")).toBe(5);
    expect((await logsOf(caller, quick.id)).map((entry) => entry.success)).toEqual(Array(5).fill(true));
    const sentToHanging = hanging.map((_, i) => requests.get(`hang-${i}.example.com`) ?? 0);
    // A hanging webhook holds at most the slots it had before it was found slow (here 3 of its
    // 5 deliveries); the rest were never sent and wait in its object, due at once.
    for (const [i, webhook] of hanging.entries()) {
      const sent = sentToHanging[i] as number;
      expect(sent).toBeGreaterThanOrEqual(1);
      expect(sent).toBeLessThanOrEqual(3);
      const waiting = await pendingOf(webhook.id);
      expect(waiting.filter((w) => w.state === "out")).toHaveLength(sent);
      const unsent = waiting.filter((w) => w.state !== "out");
      expect(unsent).toHaveLength(5 - sent);
      for (const w of unsent) expect(w).toMatchObject({ state: "paced", attempt: 1 });
      for (const w of unsent) expect(dueAtOf(w)).toBeLessThanOrEqual(Date.now());
      expect(await logsOf(caller, webhook.id)).toEqual([]);
    }
    release();
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(messages.map((m) => m.id).sort());
    // The attempts that were made are reported; the deliveries never sent still wait.
    for (const [i, webhook] of hanging.entries()) {
      expect(await logsOf(caller, webhook.id)).toHaveLength(sentToHanging[i] as number);
      expect(await pendingOf(webhook.id)).toHaveLength(5 - (sentToHanging[i] as number));
    }
  });

  it("keeps the retry of a slow failure", async () => {
    const { webhook, message } = await setup();
    const receiver = heldReceiver(503);
    const run = runBatch(QUEUES.changes, [message], slowLane);
    await vi.waitUntil(async () => (await pendingOf(webhook.id)).length === 1);
    receiver.release();
    await run;
    const [retry] = await pendingOf(webhook.id);
    expect(retry).toMatchObject({ state: "retry", attempt: 2, last_status: 503 });
    expect(dueAtOf(retry)).toBeLessThan(Date.now() + 2000); // RETRY_DELAYS_S=1: not the lease
  });

  it.each([
    ["whose exchange has not begun (still decrypting, resolving, signing)", {}, Infinity],
    ["waiting for the receiver since t=1000", { startedAt: 1000 }, 1100],
    ["whose exchange is over (now writing its log)", { startedAt: 1000, endedAt: 1500 }, Infinity],
  ])("times only the exchange: a job %s is due for the slow lane at %s", (_, clock, expected) => {
    expect(overdueAt({ clock, state: "sending" }, 100)).toBe(expected);
  });

  it("never hands off an attempt the batch already let go or waits for after a failed hand-off", () => {
    for (const state of ["kept", "ended", "handed-off", "not-sent", "failed"] as const)
      expect(overdueAt({ clock: { startedAt: 1000 }, state }, 100)).toBe(Infinity);
  });

  it("leaves the exchanges it took over out of the batch's times, so that many hanging receivers do not raise its limit", () => {
    const run = (startedAt: number, endedAt: number | undefined, handedOff: boolean) => ({
      clock: { startedAt, endedAt },
      state: handedOff
        ? ("handed-off" as const)
        : endedAt === undefined
          ? ("sending" as const)
          : ("ended" as const),
    });
    expect(
      exchangeTimes([run(0, 2000, true), run(0, 2000, true), run(10, 15, false), run(20, undefined, false)]),
    ).toEqual([5]);
  });

  it.each([
    ["a hanging receiver next to quick ones", [3, 4, 5], 4, 100],
    ["a busy runtime where every exchange takes ~150 ms", [140, 150, 160, 170], 6, 600],
    ["a batch of which less than half has finished", [3, 4], 10, 500],
    ["a batch where nothing has finished yet", [], 1, 500],
  ])("hands off outliers only: %s", (_, finished, exchanges, expected) => {
    expect(slowAfterMs(100, finished, exchanges)).toBe(expected);
  });
});
