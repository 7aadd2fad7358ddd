// Two changes to one webhook at once never undo each other: a save made from a copy read before
// another change landed writes nothing — not its fields, not its headers, not its subscriptions.
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { getWebhook, saveWebhook } from "../../src/webhooks/storage";
import { call, createWebhook, newCaller } from "../helpers";

it("a save from a copy read before another change landed writes nothing", async () => {
  const caller = await newCaller();
  const webhook = await createWebhook(caller, {
    headers: { "X-Api-Key": "key-first" },
    triggers: ["user.update"],
  });
  const stale = await getWebhook(env.DB, caller.account, webhook.id);
  if (!stale) throw new Error("the webhook was not stored");

  const patched = await call("PATCH", `/v1/webhooks/${webhook.id}`, {
    token: caller.token,
    json: { name: "After the PATCH", headers: { "X-Api-Key": "key-second" }, triggers: ["company.new"] },
  });
  expect(patched.status).toBe(200);

  // The stale copy carries the first header, its own name and its own triggers.
  const lost = { ...stale, name: "From the stale copy", triggers: ["user.delete" as const] };
  expect(await saveWebhook(env.DB, lost, { headers: true, auth: true, signingKey: true })).toBeNull();

  const headers = await call("GET", `/v1/webhooks/${webhook.id}/headers`, { token: caller.token });
  expect(headers.body.headers).toEqual({ "X-Api-Key": "key-second" });
  const now = await call("GET", `/v1/webhooks/${webhook.id}`, { token: caller.token });
  expect(now.body).toMatchObject({ name: "After the PATCH", triggers: ["company.new"] });
  const subscriptions = await env.DB.prepare("SELECT trigger FROM webhook_subscriptions WHERE webhook_id = ?")
    .bind(webhook.id)
    .all<{ trigger: string }>();
  expect(subscriptions.results.map((row) => row.trigger)).toEqual(["company.new"]);
});
