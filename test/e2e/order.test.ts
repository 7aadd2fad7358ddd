// Order per entity, end to end: a change waits while an earlier change of its entity to the same
// webhook waits for a retry, and goes out right after it; other entities are not held up.
import { describe, expect, it, vi } from "vitest";
import { type Caller, call, createWebhook, INGEST_TOKEN, newCaller } from "../helpers";
import { receiverEndpoint } from "./receiver-client";

const INGEST = INGEST_TOKEN;
const push = (caller: Caller, entity_id: number, name: string) =>
  call("POST", "/v1/changes", {
    token: INGEST,
    json: {
      account_id: caller.account,
      entity_type: "user",
      entity_id,
      action_type: "update",
      result: { name },
    },
  });

describe("changes of one entity", () => {
  it("reach the receiver in the order they were accepted when the first one needs a retry", async () => {
    const caller = await newCaller();
    const endpoint = receiverEndpoint();
    // A's first attempt fails; everything after it succeeds.
    await endpoint.script({ status: 503, body: "busy" }, { status: 200, body: "ok" });
    await createWebhook(caller, { url: endpoint.url });
    expect((await push(caller, 1, "A")).status).toBe(202);
    await vi.waitUntil(async () => (await endpoint.requests()).length === 1, { timeout: 10_000 });
    expect((await push(caller, 1, "B")).status).toBe(202);
    expect((await push(caller, 2, "C")).status).toBe(202);

    const requests = await vi.waitUntil(
      async () => {
        const got = await endpoint.requests();
        return got.filter((r) => r.status === 200).length === 3 && got;
      },
      { timeout: 15_000, interval: 50 },
    );
    const name = (r: { body: string }) => JSON.parse(r.body).result.name as string;
    const answered = requests
      .filter((r) => r.status === 200)
      .sort((a, b) => (a.answered_at ?? 0) - (b.answered_at ?? 0));
    const ofEntity1 = answered.filter((r) => JSON.parse(r.body).entity_id === 1).map(name);
    expect(ofEntity1).toEqual(["A", "B"]);
    // A waited about a second for its retry; C (another entity) went out meanwhile, B only after A.
    const [retryOfA, b] = [answered.find((r) => name(r) === "A"), answered.find((r) => name(r) === "B")];
    const c = answered.find((r) => name(r) === "C");
    expect(c?.at).toBeLessThan(retryOfA?.at ?? 0);
    expect(b?.at).toBeGreaterThanOrEqual(retryOfA?.answered_at ?? Infinity);
    expect(requests.map(name)).toEqual(["A", "C", "A", "B"]);
  });
});
