import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { call, createWebhook, newCaller } from "../helpers";
import { spyReceiver } from "../queue-helpers";

describe("POST /v1/webhooks/{id}/test", () => {
  it("sends the caller's user record as action_type test and answers with the log entry", async () => {
    const caller = await newCaller({ email: "ada@example.com", name: "Ada" });
    const webhook = await createWebhook(caller);
    const { received } = spyReceiver();
    const res = await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token });
    expect(res.status, res.text).toBe(200);
    const body = JSON.parse(received[0]?.body as string);
    expect(body).toEqual({
      entity_id: caller.sub,
      entity_type: "user",
      action_type: "test",
      result: { sub: caller.sub, email: "ada@example.com", name: "Ada" },
    });
    expect(
      new Webhook(webhook.secret).verify(received[0]?.body as string, received[0]?.headers ?? {}),
    ).toBeTruthy();
    expect(res.body).toMatchObject({
      kind: "test",
      action_type: "test",
      entity_type: "user",
      entity_id: caller.sub,
      attempt: 1,
      success: true,
      response: { status: 200 },
      request: { url: webhook.url, method: "POST", body: received[0]?.body },
    });
    const logs = await call("GET", `/v1/webhooks/${webhook.id}/logs`, { token: caller.token });
    expect(logs.body.data).toEqual([res.body]);
  });

  it("takes an empty body labelled JSON as no body", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const { received } = spyReceiver();
    for (const body of [undefined, "", " \n"]) {
      const res = await call("POST", `/v1/webhooks/${webhook.id}/test`, {
        token: caller.token,
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body }),
      });
      expect(res.status, res.text).toBe(200);
    }
    expect(received.map((r) => JSON.parse(r.body).result)).toEqual(Array(3).fill({ sub: caller.sub }));
    const bad = await call("POST", `/v1/webhooks/${webhook.id}/test`, {
      token: caller.token,
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(bad.status).toBe(400);
  });

  it("sends the user record the dashboard gives", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const { received } = spyReceiver();
    const record = { id: 7, first_name: "Ada", last_name: "Lovelace" };
    await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token, json: { result: record } });
    expect(JSON.parse(received[0]?.body as string).result).toEqual(record);
  });

  it("works on an inactive webhook and answers 200 whatever the receiver said, without touching health", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller, { is_active: false });
    spyReceiver(() => new Response("nope", { status: 500 }));
    const res = await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ success: false, response: { status: 500, body: "nope" } });
    const after = await call("GET", `/v1/webhooks/${webhook.id}`, { token: caller.token });
    expect(after.body).toMatchObject({ last_status: null, consecutive_failures: 0 });
  });

  it("refuses a result nested deeper than 32 levels, sending nothing", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const { received } = spyReceiver();
    const body = `{"result":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`;
    const res = await call("POST", `/v1/webhooks/${webhook.id}/test`, {
      token: caller.token,
      body,
      headers: { "content-type": "application/json" },
    });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors[0].path).toBe("result");
    expect(received).toEqual([]);
  });

  it("refuses unknown fields in its body", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const res = await call("POST", `/v1/webhooks/${webhook.id}/test`, {
      token: caller.token,
      json: { results: {} },
    });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors[0].path).toBe("results");
  });
});

describe("POST /v1/webhooks/{id}/logs/{log_id}/redeliver", () => {
  it("sends the logged body again with the same webhook-id and a fresh signature", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const { received } = spyReceiver();
    const original = await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token });
    const res = await call("POST", `/v1/webhooks/${webhook.id}/logs/${original.body.id}/redeliver`, {
      token: caller.token,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      kind: "redelivery",
      message_id: original.body.message_id,
      success: true,
    });
    expect(res.body.id).not.toBe(original.body.id);
    expect(received[1]?.body).toBe(received[0]?.body);
    expect(received[1]?.headers["webhook-id"]).toBe(received[0]?.headers["webhook-id"]);
    expect(
      new Webhook(webhook.secret).verify(received[1]?.body as string, received[1]?.headers ?? {}),
    ).toBeTruthy();
    const logs = await call("GET", `/v1/webhooks/${webhook.id}/logs`, { token: caller.token });
    expect(logs.body.data.map((e: { id: string }) => e.id)).toEqual([res.body.id, original.body.id]);
  });

  it("answers 404 for an unknown log entry", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const res = await call("POST", `/v1/webhooks/${webhook.id}/logs/log_nope/redeliver`, {
      token: caller.token,
    });
    expect(res.status, res.text).toBe(404);
  });
});

describe("another account", () => {
  it.each([
    ["POST", "/test"],
    ["GET", "/logs"],
    ["POST", "/logs/LOG/redeliver"],
    ["GET", "/failed"],
    ["POST", "/recover"],
  ])("%s {id}%s answers 404 and sends nothing", async (method, suffix) => {
    const owner = await newCaller();
    const intruder = await newCaller();
    const webhook = await createWebhook(owner);
    const { received } = spyReceiver();
    const test = await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: owner.token });
    const path = `/v1/webhooks/${webhook.id}${suffix.replace("LOG", test.body.id)}`;
    const json = suffix === "/recover" ? { since: "2026-01-01T00:00:00Z" } : undefined;
    const res = await call(method, path, { token: intruder.token, json });
    expect(res.status, res.text).toBe(404);
    expect(received).toHaveLength(1);
    expect(res.text).not.toContain(test.body.message_id);
  });
});

describe("deleting a webhook", () => {
  it("deletes its log", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    spyReceiver();
    await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token });
    await call("DELETE", `/v1/webhooks/${webhook.id}`, { token: caller.token });
    expect(await env.WEBHOOK_OBJECT.getByName(webhook.id).list()).toEqual([]);
  });
});
