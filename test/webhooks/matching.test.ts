import { describe, expect, it } from "vitest";
import { subscriptionKeys, wants } from "../../src/webhooks/matching";
import type { Trigger } from "../../src/webhooks/triggers";

const change = (overrides: Record<string, unknown> = {}) => ({
  account_id: "acme",
  entity_type: "company" as const,
  entity_id: 7,
  action_type: "update" as const,
  result: { name: "ACME" },
  event_ids: [] as string[],
  ...overrides,
});
const webhook = (triggers: Trigger[], event_ids: string[] = [], account_id = "acme") => ({
  account_id,
  triggers,
  event_ids,
});

describe("wants", () => {
  it.each([
    ["its trigger, every event", webhook(["company.update"]), change(), true],
    ["another trigger", webhook(["company.new", "user.update"]), change(), false],
    ["another account", webhook(["company.update"], [], "other"), change(), false],
    [
      "one of its events",
      webhook(["company.update"], ["ev_a"]),
      change({ event_ids: ["ev_b", "ev_a"] }),
      true,
    ],
    ["none of its events", webhook(["company.update"], ["ev_a"]), change({ event_ids: ["ev_b"] }), false],
    [
      "a change naming no event, webhook naming events",
      webhook(["company.update"], ["ev_a"]),
      change(),
      false,
    ],
    [
      "a change naming events, webhook for all",
      webhook(["company.update"]),
      change({ event_ids: ["ev_z"] }),
      true,
    ],
    ["a delete", webhook(["company.delete"]), change({ action_type: "delete" }), true],
    ["a user change", webhook(["user.new"]), change({ entity_type: "user", action_type: "new" }), true],
  ])("%s: %s", (_, hook, c, expected) => {
    expect(wants(hook, c)).toBe(expected);
  });
});

describe("subscriptionKeys", () => {
  it("looks a change up for every-event webhooks and for each event it names, once", () => {
    expect(subscriptionKeys(change({ event_ids: ["ev_a", "ev_a", "ev_b"] }), 3)).toEqual([
      { change: 3, account_id: "acme", trigger: "company.update", event_id: "" },
      { change: 3, account_id: "acme", trigger: "company.update", event_id: "ev_a" },
      { change: 3, account_id: "acme", trigger: "company.update", event_id: "ev_b" },
    ]);
  });
});
