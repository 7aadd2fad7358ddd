// Operational notifications end to end: a webhook failing for an hour (clock injected), disabled
// by a 410, and recovered, is told to another webhook of the account that subscribed to
// webhook.failing / .disabled / .recovered — signed and logged like every delivery, and never
// to itself.
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import { type Caller, call, createWebhook, INGEST_TOKEN, newCaller } from "../helpers";
import { receiverEndpoint } from "./receiver-client";

const OPERATIONAL = ["webhook.failing", "webhook.disabled", "webhook.recovered"];
const push = (caller: Caller) =>
  call("POST", "/v1/changes", {
    token: INGEST_TOKEN,
    json: {
      account_id: caller.account,
      entity_type: "user",
      entity_id: 1,
      action_type: "update",
      result: { n: 1 },
    },
  });

/** An account with a watched webhook and a watching one (also subscribed to the notices itself). */
async function watched(...answers: { status: number }[]) {
  const caller = await newCaller();
  const failing = receiverEndpoint("watched");
  await failing.script(...answers);
  const watcher = receiverEndpoint("watcher");
  const subject = await createWebhook(caller, {
    url: failing.url,
    triggers: ["user.update", ...OPERATIONAL],
  });
  const listener = await createWebhook(caller, { url: watcher.url, triggers: OPERATIONAL });
  return { caller, failing, watcher, subject, listener };
}

const noticesAt = async (endpoint: ReturnType<typeof receiverEndpoint>, count: number) =>
  vi.waitUntil(
    async () => {
      const got = await endpoint.requests();
      return got.length >= count && got;
    },
    { timeout: 15_000, interval: 100 },
  );

describe("operational notifications", () => {
  it("tell another webhook of the account that one is failing an hour into its streak, signed and logged", async () => {
    const { caller, failing, watcher, subject, listener } = await watched({ status: 500 });
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
    await env.DB.prepare("UPDATE webhooks SET failing_since = ?2, consecutive_failures = 3 WHERE id = ?1")
      .bind(subject.id, twoHoursAgo)
      .run();
    expect((await push(caller)).status).toBe(202);
    const [notice] = await noticesAt(watcher, 1);
    const body = JSON.parse(notice?.body ?? "{}");
    expect(body).toMatchObject({
      entity_type: "webhook",
      entity_id: subject.id,
      action_type: "failing",
      result: { id: subject.id, name: subject.name, failing_since: twoHoursAgo, consecutive_failures: 4 },
    });
    expect(Object.keys(body).sort()).toEqual(["action_type", "entity_id", "entity_type", "result"]);
    expect(body.result).not.toHaveProperty("secret");
    expect(new Webhook(listener.secret).verify(notice?.body ?? "", notice?.headers ?? {})).toBeTruthy();
    const logs = (await call("GET", `/v1/webhooks/${listener.id}/logs`, { token: caller.token })).body.data;
    expect(logs[0]).toMatchObject({ entity_type: "webhook", action_type: "failing", success: true });
    // The failing webhook itself, subscribed to the notices too, is never told about itself.
    const toItself = (await failing.requests()).filter((r) => JSON.parse(r.body).entity_type === "webhook");
    expect(toItself).toEqual([]);
  });

  it("tell that a 410 disabled a webhook (gone), and that it recovered on its first success after", async () => {
    const { caller, failing, watcher, subject } = await watched({ status: 410 }, { status: 200 });
    await push(caller);
    const [disabled] = await noticesAt(watcher, 1);
    // The notice tells the webhook as the API shows it then: its failed delivery already counted.
    expect(JSON.parse(disabled?.body ?? "{}")).toMatchObject({
      entity_id: subject.id,
      action_type: "disabled",
      result: { is_active: false, disabled_reason: "gone", failed_deliveries: 1 },
    });
    await call("PATCH", `/v1/webhooks/${subject.id}`, { token: caller.token, json: { is_active: true } });
    await push(caller);
    const [, recovered] = await noticesAt(watcher, 2);
    expect(JSON.parse(recovered?.body ?? "{}")).toMatchObject({
      entity_id: subject.id,
      action_type: "recovered",
      result: { is_active: true, disabled_reason: null, last_status: 200 },
    });
    expect((await failing.requests()).map((r) => JSON.parse(r.body).entity_type)).toEqual(["user", "user"]);
  });
});
