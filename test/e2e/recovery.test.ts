// failing → disabled → re-activated → recovered, with every change accounted for.
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { call, createWebhook, INGEST_TOKEN, newCaller } from "../helpers";
import { waitFor } from "../wait";
import { receiverEndpoint } from "./receiver-client";

it("keeps every change of a failing webhook and delivers them all after re-activation and recover", async () => {
  const started = new Date(Date.now() - 1000).toISOString();
  const caller = await newCaller();
  const endpoint = receiverEndpoint();
  await endpoint.script({ status: 500, body: "down" });
  const webhook = await createWebhook(caller, { url: endpoint.url });
  const push = (n: number) =>
    call("POST", "/v1/changes", {
      token: INGEST_TOKEN,
      json: {
        account_id: caller.account,
        entity_type: "user",
        entity_id: n,
        action_type: "update",
        result: { n },
      },
    });
  const failed = async () =>
    (await call("GET", `/v1/webhooks/${webhook.id}/failed`, { token: caller.token })).body.data as any[];
  const current = async () => (await call("GET", `/v1/webhooks/${webhook.id}`, { token: caller.token })).body;

  // Change 1 fails through its whole schedule (RETRY_DELAYS_S=1,1,1: four attempts).
  await push(1);
  await waitFor(async () => (await failed()).length === 1);
  expect((await failed())[0]).toMatchObject({
    entity_id: 1,
    reason: "exhausted",
    attempts: 4,
    last_status: 500,
  });

  // The streak began 6 days ago (clock injected through the stored health): the next failure disables it.
  const sixDaysAgo = new Date(Date.now() - 6 * 24 * 3600_000).toISOString();
  await env.DB.prepare("UPDATE webhooks SET failing_since = ?2 WHERE id = ?1")
    .bind(webhook.id, sixDaysAgo)
    .run();
  await push(2);
  await waitFor(async () => (await current()).disabled_reason === "failing");
  expect(await current()).toMatchObject({
    is_active: false,
    disabled_reason: "failing",
    failing_since: sixDaysAgo,
  });

  // While disabled, changes are kept, not sent.
  const sentBefore = (await endpoint.requests()).length;
  await push(3);
  await waitFor(async () => (await failed()).length === 3);
  expect((await endpoint.requests()).length).toBe(sentBefore);
  expect((await current()).failed_deliveries).toBe(3);
  expect((await failed()).map((f) => [f.entity_id, f.reason]).sort()).toEqual([
    [1, "exhausted"],
    [2, "disabled"],
    [3, "disabled"],
  ]);

  const tooEarly = await call("POST", `/v1/webhooks/${webhook.id}/recover`, {
    token: caller.token,
    json: { since: started },
  });
  expect(tooEarly.status, tooEarly.text).toBe(409);

  // The receiver is fixed; the admin re-activates and recovers.
  await endpoint.script({ status: 200, body: "ok" });
  const reactivated = await call("PATCH", `/v1/webhooks/${webhook.id}`, {
    token: caller.token,
    json: { is_active: true },
  });
  expect(reactivated.body).toMatchObject({ is_active: true, disabled_reason: null, consecutive_failures: 0 });
  const recover = await call("POST", `/v1/webhooks/${webhook.id}/recover`, {
    token: caller.token,
    json: { since: started },
  });
  expect(recover.status, recover.text).toBe(202);
  expect(recover.body).toEqual({ queued: 3, superseded: 0 });

  await waitFor(async () => (await failed()).every((f) => f.recovered_at !== null));
  const delivered = (await endpoint.requests()).slice(sentBefore).map((r) => JSON.parse(r.body).entity_id);
  expect([...new Set(delivered)].sort()).toEqual([1, 2, 3]);
  expect((await current()).failed_deliveries).toBe(0);
});
