// webhook.failing, webhook.disabled and webhook.recovered: triggers like the others in the API,
// not in the default set, and subscribed to whatever events the webhook chose.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findSubscribers } from "../../src/webhooks/lookups";
import { subscriptionPairs } from "../../src/webhooks/subscriptions";
import { call, createWebhook, newCaller } from "../helpers";
import { changeMessage, QUEUES, runBatch, spyReceiver } from "../queue-helpers";

const OPERATIONAL = ["webhook.failing", "webhook.disabled", "webhook.recovered"] as const;

const subscribersOf = (account: string, trigger: (typeof OPERATIONAL)[number]) =>
  findSubscribers(env.DB, [{ change: 0, account_id: account, trigger, event_id: "" }]);

describe("operational triggers", () => {
  it("are accepted on create and PATCH, and not in the default set", async () => {
    const caller = await newCaller();
    const defaults = await createWebhook(caller);
    expect(defaults.triggers).not.toEqual(expect.arrayContaining(["webhook.failing"]));
    expect(defaults.triggers).toHaveLength(6);

    const created = await createWebhook(caller, { triggers: ["webhook.failing", "user.update"] });
    expect(created.triggers).toEqual(["webhook.failing", "user.update"]);
    const res = await call("PATCH", `/v1/webhooks/${created.id}`, {
      token: caller.token,
      json: { triggers: [...OPERATIONAL] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.triggers).toEqual([...OPERATIONAL]);
  });

  it("are stored with event '' alone, whatever events the webhook chose", () => {
    expect(
      subscriptionPairs({ triggers: ["user.new", "webhook.failing"], event_ids: ["ev_1", "ev_2"] }),
    ).toEqual([
      ["user.new", "ev_1"],
      ["user.new", "ev_2"],
      ["webhook.failing", ""],
    ]);
    expect(subscriptionPairs({ triggers: ["webhook.disabled", "company.delete"], event_ids: [] })).toEqual([
      ["webhook.disabled", ""],
      ["company.delete", ""],
    ]);
  });

  it("find a subscribed webhook of the account even when it names events", async () => {
    const caller = await newCaller();
    const other = await newCaller();
    const withEvents = await createWebhook(caller, {
      triggers: ["webhook.failing", "user.update"],
      event_ids: ["ev_2026_fair"],
    });
    const allEvents = await createWebhook(caller, { triggers: ["webhook.failing"] });
    await createWebhook(caller, { triggers: ["webhook.disabled"] });
    await createWebhook(other, { triggers: ["webhook.failing"] });

    const found = (await subscribersOf(caller.account, "webhook.failing")).map((m) => m.webhook.id);
    expect(found.sort()).toEqual([withEvents.id, allEvents.id].sort());
    expect(await subscribersOf(caller.account, "webhook.recovered")).toEqual([]);
  });

  it("follow a PATCH of the triggers or events", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller, { triggers: ["user.new"] });
    const patch = (json: unknown) =>
      call("PATCH", `/v1/webhooks/${created.id}`, { token: caller.token, json });
    await patch({ triggers: ["webhook.recovered"] });
    await patch({ event_ids: ["ev_a", "ev_b"] });
    expect((await subscribersOf(caller.account, "webhook.recovered")).map((m) => m.webhook.id)).toEqual([
      created.id,
    ]);
    await patch({ triggers: ["user.new"] });
    expect(await subscribersOf(caller.account, "webhook.recovered")).toEqual([]);
  });

  it("bring a webhook subscribed to them alone no user or company change", async () => {
    const caller = await newCaller();
    await createWebhook(caller, { triggers: [...OPERATIONAL] });
    const { received } = spyReceiver();
    for (const action_type of ["new", "update", "delete"]) {
      const change = {
        account_id: caller.account,
        action_type,
        ...(action_type === "delete" ? { result: undefined } : {}),
      };
      await runBatch(QUEUES.changes, [changeMessage(change)]);
    }
    expect(received).toEqual([]);
  });

  it("refuse an unknown webhook.* trigger with a 400 on its path", async () => {
    const caller = await newCaller();
    const res = await call("POST", "/v1/webhooks", {
      token: caller.token,
      json: { name: "Ops", url: "https://ops.example.com/in", triggers: ["webhook.deleted"] },
    });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "triggers.0" })]);
  });
});
