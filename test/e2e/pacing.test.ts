// Pacing end to end: a webhook with max_per_second gets at most that many deliveries started per
// second — all of them, in order per entity — while another webhook of the account is not slowed.
import { describe, expect, it, vi } from "vitest";
import { call, createWebhook, INGEST_TOKEN, newCaller } from "../helpers";
import { receiverEndpoint } from "./receiver-client";

const INGEST = INGEST_TOKEN;

describe("a webhook with max_per_second: 5", () => {
  it("gets 20 changes over at least 3 s, every one, in order per entity; another webhook gets them at once", async () => {
    const caller = await newCaller();
    const paced = receiverEndpoint("paced");
    const free = receiverEndpoint("free");
    await createWebhook(caller, { url: paced.url, max_per_second: 5 });
    await createWebhook(caller, { url: free.url });
    const changes = Array.from({ length: 20 }, (_, n) => ({
      account_id: caller.account,
      entity_type: "user",
      entity_id: n % 4,
      action_type: "update",
      result: { n },
    }));
    expect((await call("POST", "/v1/changes", { token: INGEST, json: { changes } })).status).toBe(202);

    const freeGot = await vi.waitUntil(async () => (await free.requests()).length === 20 && free.requests(), {
      timeout: 10_000,
      interval: 50,
    });
    const pacedGot = await vi.waitUntil(
      async () => (await paced.requests()).length === 20 && paced.requests(),
      { timeout: 20_000, interval: 100 },
    );
    const at = pacedGot.map((r) => r.at).sort((a, b) => a - b);
    expect((at.at(-1) ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(3000);
    // Never 6 in a second (arrivals jitter by tens of ms on a busy machine: the object starts them
    // a second apart at its own clock, the receiver notes them when they come).
    for (let i = 5; i < at.length; i++) expect((at[i] ?? 0) - (at[i - 5] ?? 0)).toBeGreaterThanOrEqual(850);
    const order = (rs: typeof pacedGot, entity: number) =>
      rs.filter((r) => JSON.parse(r.body).entity_id === entity).map((r) => JSON.parse(r.body).result.n);
    for (const entity of [0, 1, 2, 3])
      expect(order(pacedGot, entity)).toEqual([0, 1, 2, 3, 4].map((k) => k * 4 + entity));
    // Not slowed by the other's pacing: all 20 there before the paced one's 11th (2 s in, at least).
    expect(Math.max(...freeGot.map((r) => r.at))).toBeLessThan(at[10] ?? 0);
  });
});
