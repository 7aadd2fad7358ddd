// The metrics points the engine writes: one per attempt with what followed it, and one for a
// delivery superseded before it was attempted. Read through a stub on the METRICS binding (the
// local Analytics Engine binding drops what it is given).
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createWebhook, newCaller } from "../helpers";
import { changeMessage, later, QUEUES, runBatch, spyReceiver, wake, withFakeDate } from "../queue-helpers";

withFakeDate();

/** The points written for `webhookId`: outcome, status class, attempt. */
function pointsOf(webhookId: string) {
  const write = vi.spyOn(env.METRICS, "writeDataPoint");
  return () =>
    write.mock.calls
      .map(([point]) => point as AnalyticsEngineDataPoint)
      .filter((point) => point.blobs?.[1] === webhookId)
      .map((point) => [point.blobs?.[2], point.blobs?.[3], point.doubles?.[1]]);
}

async function setup() {
  const caller = await newCaller();
  const webhook = await createWebhook(caller);
  const change = (overrides: Record<string, unknown> = {}) =>
    changeMessage({ account_id: caller.account, ...overrides });
  return { webhook, change, points: pointsOf(webhook.id) };
}

describe("the metrics points of a delivery", () => {
  it("delivered at once: one point, delivered, 2xx, attempt 1", async () => {
    const { change, points } = await setup();
    spyReceiver();
    await runBatch(QUEUES.changes, [change()]);
    expect(points()).toEqual([["delivered", "2xx", 1]]);
  });

  it("retried, then delivered: a point for each attempt", async () => {
    const { webhook, change, points } = await setup();
    spyReceiver((_req, n) => new Response(null, { status: n === 1 ? 503 : 200 }));
    await runBatch(QUEUES.changes, [change()]);
    later(1500);
    await wake(webhook.id);
    expect(points()).toEqual([
      ["retry", "5xx", 1],
      ["delivered", "2xx", 2],
    ]);
  });

  it("failed for good (410 Gone): one point, failed, 4xx", async () => {
    const { change, points } = await setup();
    spyReceiver(() => new Response(null, { status: 410 }));
    await runBatch(QUEUES.changes, [change()]);
    expect(points()).toEqual([["failed", "4xx", 1]]);
  });

  it("superseded by a newer change of its entity delivered first: one point, never attempted", async () => {
    const { change, points } = await setup();
    const { received } = spyReceiver();
    const older = change();
    const newer = change();
    await runBatch(QUEUES.changes, [newer]);
    await runBatch(QUEUES.changes, [older]); // accepted earlier (its seq), arriving after the newer one landed
    expect(received).toHaveLength(1);
    expect(points()).toEqual([
      ["delivered", "2xx", 1],
      ["superseded", "none", 0],
    ]);
  });
});
