// The whole data path through the real local queues, Durable Objects and D1, to a real
// receiver on 127.0.0.1.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { type Caller, call, createWebhook, INGEST_TOKEN, newCaller } from "../helpers";
import { waitFor } from "../wait";
import { receiverEndpoint } from "./receiver-client";

const INGEST = INGEST_TOKEN;
const push = (json: unknown) => call("POST", "/v1/changes", { token: INGEST, json });
const change = (caller: Caller, overrides: Record<string, unknown> = {}) => ({
  account_id: caller.account,
  entity_type: "company",
  entity_id: 7,
  action_type: "update",
  result: { name: "ACME GmbH", city: "Köln" },
  ...overrides,
});
const logsOf = async (caller: Caller, id: string) =>
  (await call("GET", `/v1/webhooks/${id}/logs`, { token: caller.token })).body.data as any[];

describe("a pushed change", () => {
  it("arrives at the receiver with the exact body and a signature standardwebhooks verifies", async () => {
    const caller = await newCaller();
    const endpoint = receiverEndpoint();
    const webhook = await createWebhook(caller, { url: endpoint.url });
    const res = await push(change(caller));
    expect(res.status, res.text).toBe(202);
    const [request] = await waitFor(
      async () => (await endpoint.requests()).length > 0 && endpoint.requests(),
    );
    expect(request?.body).toBe(
      '{"entity_id":7,"entity_type":"company","action_type":"update","result":{"name":"ACME GmbH","city":"Köln"}}',
    );
    expect(new Webhook(webhook.secret).verify(request?.body as string, request?.headers ?? {})).toEqual(
      JSON.parse(request?.body as string),
    );
    expect(request?.headers["user-agent"]).toMatch(/^EventInsight-Webhooks\//);
  });

  it("is retried with the same webhook-id after a 500, and the log shows attempt 1 failed, attempt 2 succeeded", async () => {
    const caller = await newCaller();
    const endpoint = receiverEndpoint();
    await endpoint.script({ status: 500, body: "oops" }, { status: 200, body: "thanks" });
    const webhook = await createWebhook(caller, { url: endpoint.url });
    await push(change(caller));
    const requests = await waitFor(async () => {
      const got = await endpoint.requests();
      return got.length >= 2 && got;
    });
    expect(requests[0]?.headers["webhook-id"]).toBe(requests[1]?.headers["webhook-id"]);
    expect(requests[1]?.headers["webhook-timestamp"]).not.toBeUndefined();
    const logs = await waitFor(async () => {
      const entries = await logsOf(caller, webhook.id);
      return entries.length >= 2 && entries;
    });
    expect(logs.map((e) => [e.attempt, e.success, e.response?.status])).toEqual([
      [2, true, 200],
      [1, false, 500],
    ]);
    const health = await call("GET", `/v1/webhooks/${webhook.id}`, { token: caller.token });
    expect(health.body).toMatchObject({ last_status: 200, consecutive_failures: 0 });
  });

  it("reaches only webhooks whose triggers and events match, never inactive ones, and a delete has no result", async () => {
    const caller = await newCaller();
    const [all, companies, fair, gala, off] = [1, 2, 3, 4, 5].map(() => receiverEndpoint());
    await createWebhook(caller, { url: all?.url });
    await createWebhook(caller, { url: companies?.url, triggers: ["company.delete"] });
    await createWebhook(caller, { url: fair?.url, event_ids: ["ev_fair"] });
    await createWebhook(caller, { url: gala?.url, event_ids: ["ev_gala"] });
    await createWebhook(caller, { url: off?.url, is_active: false });
    await push({
      changes: [
        change(caller, { entity_type: "user", event_ids: ["ev_fair"] }),
        change(caller, { action_type: "delete", result: undefined }),
      ],
    });
    await waitFor(
      async () => (await all?.requests())?.length === 2 && (await companies?.requests())?.length === 1,
    );
    await waitFor(async () => (await fair?.requests())?.length === 1);
    expect(JSON.parse((await companies?.requests())?.[0]?.body as string)).toEqual({
      entity_id: 7,
      entity_type: "company",
      action_type: "delete",
    });
    expect(await gala?.requests()).toEqual([]);
    expect(await off?.requests()).toEqual([]);
  });
});

describe("debugging aids", () => {
  it("test button, redeliver, and a rotation during which both secrets verify", async () => {
    const caller = await newCaller({ email: "ada@example.com" });
    const endpoint = receiverEndpoint();
    const webhook = await createWebhook(caller, { url: endpoint.url });

    const test = await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token });
    expect(test.status, test.text).toBe(200);
    expect(test.body).toMatchObject({ action_type: "test", success: true, response: { status: 200 } });

    const rotated = await call("POST", `/v1/webhooks/${webhook.id}/secret/rotate`, { token: caller.token });
    const redelivered = await call("POST", `/v1/webhooks/${webhook.id}/logs/${test.body.id}/redeliver`, {
      token: caller.token,
    });
    expect(redelivered.body).toMatchObject({
      kind: "redelivery",
      message_id: test.body.message_id,
      success: true,
    });

    const [first, second] = await endpoint.requests();
    expect(second?.body).toBe(first?.body);
    expect(second?.headers["webhook-id"]).toBe(first?.headers["webhook-id"]);
    expect(second?.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    for (const secret of [rotated.body.secret, webhook.secret]) {
      expect(new Webhook(secret).verify(second?.body as string, second?.headers ?? {})).toMatchObject({
        action_type: "test",
      });
    }
  });

  it("keeps only the 10 most recent requests: the 11th-oldest is evicted", async () => {
    const caller = await newCaller();
    const endpoint = receiverEndpoint();
    const webhook = await createWebhook(caller, { url: endpoint.url });
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) {
      ids.push((await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token })).body.id);
    }
    const logs = await logsOf(caller, webhook.id);
    expect(logs.map((e) => e.id)).toEqual(ids.slice(1).reverse());
  });
});
