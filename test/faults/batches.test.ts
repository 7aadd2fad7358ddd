// Faults within a batch on the real local queues: one change of a batch failing at its
// receiver, and a poison message among good ones.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { receiverEndpoint } from "../e2e/receiver-client";
import { createWebhook, ingest, newCaller } from "../helpers";
import { expectWaits, faultMatrix, requestsAt, W, waitFor } from "./harness";

const faults = faultMatrix("fault matrix: batches");

describe("a batch of changes", () => {
  it("with change k failing at its receiver: only that delivery is retried, the others arrive once", async () => {
    const tenants = [];
    for (let i = 0; i < 5; i++) {
      const caller = await newCaller();
      const endpoint = receiverEndpoint();
      if (i === 2) await endpoint.script({ status: 500 }, { status: 200 });
      const webhook = await createWebhook(caller, { url: endpoint.url });
      tenants.push({ caller, endpoint, webhook });
    }
    const changes = tenants.map(({ caller }, i) => ({
      account_id: caller.account,
      entity_type: "company",
      entity_id: i,
      action_type: "update",
      result: { i },
    }));
    const res = await ingest({ changes });
    expect(res.status, res.text).toBe(202);
    const retried = await requestsAt(tenants[2]?.endpoint as ReturnType<typeof receiverEndpoint>, 2);
    expectWaits(retried, W);
    expect(retried[1]?.headers["webhook-id"]).toBe(retried[0]?.headers["webhook-id"]);
    for (const [i, { endpoint }] of tenants.entries()) {
      if (i !== 2) expect((await endpoint.requests()).map((r) => JSON.parse(r.body).entity_id)).toEqual([i]);
    }
    for (const { caller, webhook } of tenants) await faults.follow(caller, webhook.id);
  });

  it("with a poison message among good ones: the good ones delivered, the poison kept for an operator", async () => {
    const caller = await newCaller();
    const endpoint = receiverEndpoint();
    const webhook = await createWebhook(caller, { url: endpoint.url });
    const poison = `not a change ${crypto.randomUUID()}`;
    const good = (n: number) => ({
      type: "change",
      change_id: `chg_${crypto.randomUUID()}`,
      identity: `chg_${crypto.randomUUID()}`,
      seq: Date.now() * 1000 + n,
      received_at: new Date().toISOString(),
      change: {
        account_id: caller.account,
        entity_type: "user",
        entity_id: n,
        action_type: "delete",
        event_ids: [],
      },
    });
    await env.CHANGES.sendBatch([{ body: good(1) }, { body: poison }, { body: good(2) }]);
    const delivered = await requestsAt(endpoint, 2);
    expect(delivered.map((r) => JSON.parse(r.body).entity_id).sort()).toEqual([1, 2]);
    const kept = await waitFor(() =>
      env.DB.prepare("SELECT queue, raw FROM dead_letters WHERE raw = ?")
        .bind(JSON.stringify(poison))
        .first(),
    );
    expect(kept).toMatchObject({ queue: "eventinsight-changes" });
    await faults.follow(caller, webhook.id);
  });
});
