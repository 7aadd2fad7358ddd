import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { WebhookObject } from "../../src/delivery/webhook-object";
import {
  activityBuckets,
  binOf,
  countRequest,
  EXACT_DURATIONS,
  emptyHour,
  medianOf,
  medianOfHours,
} from "../../src/request-log/activity";
import { adminToken, call, createWebhook, logEntry, logRequest, newCaller } from "../helpers";
import { later, spyReceiver, withFakeDate } from "../queue-helpers";

const HOUR = 3600_000;

describe("counting activity", () => {
  it("takes the median from ~10 % wide bins", () => {
    const hour = emptyHour(0);
    for (const ms of [10, 12, 100, 110, 5000]) countRequest(hour, true, ms);
    expect(medianOf([hour.durations])).toBeGreaterThanOrEqual(100);
    expect(medianOf([hour.durations])).toBeLessThanOrEqual(110);
    expect(medianOf([])).toBeNull();
    expect(binOf(1)).toBe(0);
  });

  it("takes the exact median while an hour has few requests, over the hours of a day too", () => {
    const hour = (start: number, durations: number[]) => {
      const counts = emptyHour(start);
      for (const ms of durations) countRequest(counts, ms < 1000, ms);
      return counts;
    };
    expect(medianOfHours([hour(0, [1300, 61, 438])])).toBe(438);
    expect(medianOfHours([hour(0, [10, 20])])).toBe(15); // the mean of the middle two
    expect(medianOfHours([hour(0, [7, 205, 116]), hour(HOUR, [308, 206])])).toBe(205);
    expect(medianOfHours([emptyHour(0)])).toBeNull();
    // Beyond EXACT_DURATIONS in an hour, the histogram's answer (within its ~10 % bin).
    const busy = hour(
      0,
      Array.from({ length: EXACT_DURATIONS + 1 }, (_, i) => 100 + i),
    );
    expect(busy.exact).toBeUndefined();
    const median = medianOfHours([busy]) as number;
    expect(Math.abs(median - 125) / 125).toBeLessThanOrEqual(0.1);
  });

  it("answers every bucket of the window, oldest first", () => {
    const now = Date.parse("2026-11-27T10:30:00Z");
    const hour = {
      ...emptyHour(Date.parse("2026-11-27T08:00:00Z")),
      delivered: 2,
      failed: 1,
      durations: { 30: 3 },
    };
    const day = activityBuckets("24h", now, [hour]);
    expect(day).toHaveLength(24);
    expect(day.at(-1)?.start).toBe("2026-11-27T10:00:00.000Z");
    expect(day.at(-3)).toMatchObject({
      start: "2026-11-27T08:00:00.000Z",
      delivered: 2,
      failed: 1,
      p50_ms: 17,
    });
    const week = activityBuckets("7d", now, [hour]);
    expect(week.map((b) => b.start.slice(0, 10))).toEqual([
      "2026-11-21",
      "2026-11-22",
      "2026-11-23",
      "2026-11-24",
      "2026-11-25",
      "2026-11-26",
      "2026-11-27",
    ]);
    expect(week.at(-1)).toMatchObject({ delivered: 2, failed: 1 });
  });
});

describe("GET /v1/webhooks/{id}/stats", () => {
  withFakeDate();

  it("counts the requests just made, delivered and failed, and keeps the hours as they pass", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    spyReceiver((_req, n) => new Response(null, { status: n === 2 ? 500 : 200 }));
    for (let i = 0; i < 3; i++)
      await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token });
    const now = await call("GET", `/v1/webhooks/${webhook.id}/stats`, { token: caller.token });
    expect(now.status, now.text).toBe(200);
    expect(now.body.window).toBe("24h");
    expect(now.body.buckets).toHaveLength(24);
    expect(now.body.buckets.at(-1)).toMatchObject({ delivered: 2, failed: 1, p50_ms: expect.any(Number) });

    later(2 * HOUR);
    const token = await adminToken({ sub: caller.sub, account_id: caller.account }); // the first one expired
    await call("POST", `/v1/webhooks/${webhook.id}/test`, { token });
    const after = (await call("GET", `/v1/webhooks/${webhook.id}/stats`, { token })).body.buckets;
    expect(after.at(-1)).toMatchObject({ delivered: 1, failed: 0 });
    expect(after.at(-3)).toMatchObject({ delivered: 2, failed: 1 });
    const week = (await call("GET", `/v1/webhooks/${webhook.id}/stats?window=7d`, { token })).body;
    expect(week.buckets).toHaveLength(7);
    expect(week.buckets.reduce((n: number, b: { delivered: number }) => n + b.delivered, 0)).toBe(3);
  });

  it("writes no row of its own per request: the log's row carries the hour's counts, also across an eviction", async () => {
    const object = env.WEBHOOK_OBJECT.getByName(`wh_${crypto.randomUUID()}`);
    for (let n = 0; n < 30; n++) await logRequest(object, logEntry({ id: `log_${n}` }));
    const tables = await runInDurableObject(object, (_: WebhookObject, state) => ({
      log: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM log").one().n,
      activity: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM activity").one().n,
    }));
    expect(tables).toEqual({ log: 10, activity: 0 });
    await evictDurableObject(object);
    expect((await object.activity("24h")).at(-1)).toMatchObject({ delivered: 30, failed: 0 });
  });

  it("answers the median of the durations the log shows", async () => {
    const object = env.WEBHOOK_OBJECT.getByName(`wh_${crypto.randomUUID()}`);
    for (const [n, duration_ms] of [61, 1300, 438].entries())
      await logRequest(
        object,
        logEntry({ id: `log_${n}`, duration_ms, created_at: new Date().toISOString() }),
      );
    const logged = (await object.list()).map((entry) => entry.duration_ms).sort((a, b) => a - b);
    expect(logged).toEqual([61, 438, 1300]);
    expect((await object.activity("24h")).at(-1)).toMatchObject({ delivered: 3, p50_ms: 438 });
    expect((await object.activity("7d")).at(-1)).toMatchObject({ delivered: 3, p50_ms: 438 });
  });

  it("refuses another window with a 400, and another account's webhook with a 404", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const bad = await call("GET", `/v1/webhooks/${webhook.id}/stats?window=1y`, { token: caller.token });
    expect(bad.status, bad.text).toBe(400);
    const other = await newCaller();
    expect((await call("GET", `/v1/webhooks/${webhook.id}/stats`, { token: other.token })).status).toBe(404);
  });
});
