// `since` on the failed-delivery routes is a time, compared as one: dates far in the future or
// past in any offset neither list nor recover everything.
import { describe, expect, it } from "vitest";
import { sinceTime } from "../../src/failed/routes";
import { call, createWebhook, failedDelivery, newCaller, recordFailed } from "../helpers";
import { pendingOf } from "../queue-helpers";

const DAY = 24 * 3600 * 1000;

/** A webhook with failed deliveries 1 minute, 2 days and 40 days old. */
async function withFailures() {
  const caller = await newCaller();
  const webhook = await createWebhook(caller);
  const ages = [60_000, 2 * DAY, 40 * DAY];
  await recordFailed(
    ...ages.map((age, i) =>
      failedDelivery(webhook, caller.account, {
        message_id: `msg_since_${i}`,
        seq: i,
        payload: { entity_id: i, entity_type: "user", action_type: "update", result: { n: i } },
        failed_at: new Date(Date.now() - age).toISOString(),
      }),
    ),
  );
  return { caller, webhook };
}

const FAR_FUTURE = "9999-12-31T23:59:59-23:59";
const FAR_PAST = "0000-01-01T00:00:00+23:59";

describe("since", () => {
  it("is clamped to the last 30 days and to now, compared as a number", () => {
    const now = Date.parse("2026-11-27T10:00:00Z");
    expect(sinceTime(undefined, now)).toBe("2026-10-28T10:00:00.000Z");
    expect(sinceTime("2026-11-27T09:00:00+01:00", now)).toBe("2026-11-27T08:00:00.000Z");
    expect(sinceTime(FAR_FUTURE, now)).toBe("2026-11-27T10:00:00.000Z");
    expect(sinceTime(FAR_PAST, now)).toBe("2026-10-28T10:00:00.000Z");
    expect(sinceTime("2026-11-27T10:00:00-23:59", now)).toBe("2026-11-27T10:00:00.000Z");
  });

  it(`${FAR_FUTURE} lists nothing and recovers nothing`, async () => {
    const { caller, webhook } = await withFailures();
    const listed = await call(
      "GET",
      `/v1/webhooks/${webhook.id}/failed?since=${encodeURIComponent(FAR_FUTURE)}`,
      {
        token: caller.token,
      },
    );
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.data).toEqual([]);

    const recovered = await call("POST", `/v1/webhooks/${webhook.id}/recover`, {
      token: caller.token,
      json: { since: FAR_FUTURE },
    });
    expect(recovered.status, recovered.text).toBe(202);
    expect(recovered.body).toEqual({ queued: 0, superseded: 0 });
    expect(await pendingOf(webhook.id)).toEqual([]);
  });

  it(`${FAR_PAST} lists and recovers those of the last 30 days only`, async () => {
    const { caller, webhook } = await withFailures();
    const listed = await call(
      "GET",
      `/v1/webhooks/${webhook.id}/failed?since=${encodeURIComponent(FAR_PAST)}`,
      {
        token: caller.token,
      },
    );
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.data.map((f: { message_id: string }) => f.message_id)).toEqual([
      "msg_since_0",
      "msg_since_1",
    ]);

    const recovered = await call("POST", `/v1/webhooks/${webhook.id}/recover`, {
      token: caller.token,
      json: { since: FAR_PAST },
    });
    expect(recovered.body).toEqual({ queued: 2, superseded: 0 });
    expect(await pendingOf(webhook.id)).toHaveLength(2);
  });

  it("an hour ago in another offset lists what failed since then", async () => {
    const { caller, webhook } = await withFailures();
    const anHourAgo = new Date(Date.now() - 3600_000 + 5 * 3600_000).toISOString().replace("Z", "+05:00");
    const listed = await call(
      "GET",
      `/v1/webhooks/${webhook.id}/failed?since=${encodeURIComponent(anHourAgo)}`,
      {
        token: caller.token,
      },
    );
    expect(listed.body.data.map((f: { message_id: string }) => f.message_id)).toEqual(["msg_since_0"]);
  });
});
