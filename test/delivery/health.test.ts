import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { HealthSample } from "../../src/delivery/health";
import {
  HEALTH_REFRESH_MS,
  type HealthUpdate,
  healthStatement,
  healthUnchanged,
  summarizeHealth,
} from "../../src/delivery/health";
import { call, createWebhook, newCaller } from "../helpers";

const DAY = 24 * 3600_000;
const T0 = Date.parse("2026-11-20T10:00:00Z");
const at = (ms: number) => new Date(T0 + ms).toISOString();
const sample = (ms: number, status: number | null, extra: Partial<HealthSample> = {}): HealthSample => ({
  startedAt: at(ms),
  status,
  success: status !== null && status < 300,
  gone: status === 410,
  ...extra,
});

describe("summarizeHealth", () => {
  it.each([
    ["one success", [sample(0, 200)], { reset: true, failures: 0, firstFailureAt: null, lastStatus: 200 }],
    [
      "failures only",
      [sample(0, 500), sample(1000, null)],
      { reset: false, failures: 2, firstFailureAt: at(0), lastStatus: null },
    ],
    [
      "failures after a success",
      [sample(2000, 500), sample(0, 500), sample(1000, 200)],
      { reset: true, failures: 1, firstFailureAt: at(2000), lastStatus: 500 },
    ],
    ["a 410", [sample(0, 410)], { gone: true, reset: false, failures: 1 }],
  ])("%s", (_, samples, expected) => {
    expect(summarizeHealth(samples)).toEqual(expect.objectContaining(expected));
  });
});

/** One webhook's samples as one update (they are never none here). */
const updateOf = (samples: HealthSample[]) => summarizeHealth(samples) as HealthUpdate;

async function healthAfter(webhookId: string, samples: HealthSample[], nowMs: number) {
  await healthStatement(env.DB, webhookId, updateOf(samples), nowMs).run();
  return env.DB.prepare("SELECT * FROM webhooks WHERE id = ?")
    .bind(webhookId)
    .first<Record<string, unknown>>();
}

describe("auto-disable (clock injected)", () => {
  it("disables a webhook whose every attempt failed for 5 days", async () => {
    const caller = await newCaller();
    const { id } = await createWebhook(caller);
    await healthAfter(id, [sample(0, 500)], T0);
    expect(await healthAfter(id, [sample(2 * DAY, 500)], T0 + 2 * DAY)).toMatchObject({
      is_active: 1,
      consecutive_failures: 2,
    });
    const row = await healthAfter(id, [sample(5 * DAY + 60_000, 503)], T0 + 5 * DAY + 60_000);
    expect(row).toMatchObject({
      is_active: 0,
      disabled_reason: "failing",
      failing_since: at(0),
      consecutive_failures: 3,
    });
  });

  it("does not disable when a success came in between (the clock starts again)", async () => {
    const caller = await newCaller();
    const { id } = await createWebhook(caller);
    await healthAfter(id, [sample(0, 500)], T0);
    await healthAfter(id, [sample(3 * DAY, 200)], T0 + 3 * DAY);
    const row = await healthAfter(id, [sample(5 * DAY + 60_000, 500)], T0 + 5 * DAY + 60_000);
    expect(row).toMatchObject({
      is_active: 1,
      disabled_reason: null,
      failing_since: at(5 * DAY + 60_000),
      consecutive_failures: 1,
    });
  });

  it("re-activating by PATCH clears the reason and the streak", async () => {
    const caller = await newCaller();
    const { id } = await createWebhook(caller);
    await healthAfter(id, [sample(0, 500)], T0);
    await healthAfter(id, [sample(6 * DAY, 500)], T0 + 6 * DAY);
    const res = await call("PATCH", `/v1/webhooks/${id}`, { token: caller.token, json: { is_active: true } });
    expect(res.body).toMatchObject({
      is_active: true,
      disabled_reason: null,
      failing_since: null,
      consecutive_failures: 0,
    });
  });

  it("marks a 410 as gone at once, and the webhook as updated then", async () => {
    const caller = await newCaller();
    const { id } = await createWebhook(caller);
    expect(await healthAfter(id, [sample(0, 410)], T0 + 1000)).toMatchObject({
      is_active: 0,
      disabled_reason: "gone",
      updated_at: at(1000),
    });
  });

  it("leaves updated_at alone while only the delivery health changes", async () => {
    const caller = await newCaller();
    const { id, updated_at } = await createWebhook(caller);
    expect(await healthAfter(id, [sample(0, 500)], T0)).toMatchObject({
      consecutive_failures: 1,
      updated_at,
    });
  });

  it("skips rewriting an unchanged healthy webhook within HEALTH_REFRESH_MS (fewer D1 writes)", async () => {
    const caller = await newCaller();
    const { id } = await createWebhook(caller);
    await healthAfter(id, [sample(0, 200)], T0);
    const within = await healthStatement(
      env.DB,
      id,
      updateOf([sample(HEALTH_REFRESH_MS / 2, 200)]),
      T0,
    ).run();
    expect(within.meta.changes).toBe(0);
    const after = await healthStatement(
      env.DB,
      id,
      updateOf([sample(HEALTH_REFRESH_MS + 1000, 200)]),
      T0,
    ).run();
    expect(after.meta.changes).toBe(1);
  });
});

describe("the object's record of what it last wrote", () => {
  const written = { lastAt: at(0), lastStatus: 200, failing: false, troubleReported: false };
  it.each([
    ["successes with the same status soon after", written, [sample(5000, 200)], true],
    ["nothing known yet (the object restarted)", null, [sample(5000, 200)], false],
    ["a refresh due (HEALTH_REFRESH_MS passed)", written, [sample(HEALTH_REFRESH_MS, 200)], false],
    ["another status", written, [sample(5000, 204)], false],
    ["a failure", written, [sample(5000, 500)], false],
    ["a streak to end", { ...written, failing: true }, [sample(5000, 200)], false],
    ["trouble to clear", { ...written, troubleReported: true }, [sample(5000, 200)], false],
  ])("leaves D1 alone only when nothing it shows would change: %s", (_, last, samples, unchanged) => {
    expect(healthUnchanged(last, updateOf(samples))).toBe(unchanged);
  });
});

describe("operational notices (clock injected)", () => {
  const HOUR = 3600_000;
  /** The notice each health update raised, in turn. */
  async function noticesOf(id: string, steps: [number, number | null][]) {
    const raised = [];
    for (const [ms, status] of steps) {
      const result = await healthStatement(env.DB, id, updateOf([sample(ms, status)]), T0 + ms).all<{
        notice: string | null;
      }>();
      raised.push(result.results[0]?.notice ?? null);
    }
    return raised;
  }

  it("tells of a failing webhook once its streak is an hour old, again a day later, and of its recovery", async () => {
    const { id } = await createWebhook(await newCaller());
    expect(
      await noticesOf(id, [
        [0, 500],
        [30 * 60_000, 500],
        [HOUR, 500],
        [2 * HOUR, 503],
        [HOUR + DAY, null],
        [HOUR + DAY + 60_000, 200],
        [HOUR + DAY + 120_000, 200],
      ]),
    ).toEqual([null, null, "failing", null, "failing", "recovered", null]);
  });

  it("tells of a webhook the service disabled (410), and of its first success after re-activation", async () => {
    const caller = await newCaller();
    const { id } = await createWebhook(caller);
    expect(await noticesOf(id, [[0, 410]])).toEqual(["disabled"]);
    await call("PATCH", `/v1/webhooks/${id}`, { token: caller.token, json: { is_active: true } });
    expect(
      await noticesOf(id, [
        [60_000, 200],
        [120_000, 200],
      ]),
    ).toEqual(["recovered", null]);
  });

  it("tells nothing of a webhook that fails briefly and recovers within the hour", async () => {
    const { id } = await createWebhook(await newCaller());
    expect(
      await noticesOf(id, [
        [0, 500],
        [50 * 60_000, 500],
        [55 * 60_000, 200],
      ]),
    ).toEqual([null, null, null]);
  });
});
