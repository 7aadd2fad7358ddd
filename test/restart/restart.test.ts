// Nothing lost on a restart: the service started as `npm start` starts it, stopped (or killed)
// while retries and held changes wait, started again on the same local state. Every accepted
// change is then delivered — as the receiver saw it, in order per entity — or listed as failed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointOf, type ReceivedRequest, startReceiver } from "../node/receiver";
import { callApi } from "../node/service-api";
import { type StartedService, startService } from "../node/started-service";

const INGEST = "dev-ingest-token";
/** Short retries, and a timeout short enough that a hung attempt's lease ends within the test. */
const DEV_ARGS = ["--var", "RETRY_DELAYS_S:1,1,1,1,1,1,1,1,1,1", "--var", "DELIVERY_TIMEOUT_MS:5000"];

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  receiver.server.closeAllConnections();
  await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
});

async function until<T>(probe: () => Promise<T | false | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Pushes `perEntity` changes for each of `entities`, one request each, in order; answers their numbers. */
async function pushChanges(service: StartedService, entities: number[], perEntity: number) {
  const pushed: { n: number; entity: number }[] = [];
  for (let round = 0; round < perEntity; round++) {
    for (const entity of entities) {
      const n = pushed.length;
      const change = {
        account_id: "acme",
        entity_type: "user",
        entity_id: entity,
        action_type: "update",
        result: { n },
      };
      expect((await callApi(service, "POST", "/v1/changes", change, INGEST)).status).toBe(202);
      pushed.push({ n, entity });
    }
  }
  return pushed;
}

const numberOf = (r: ReceivedRequest) => (JSON.parse(r.body) as { result: { n: number } }).result.n;

/** What every pushed change became, from what the receiver answered 2xx and what the API lists as failed. */
async function accounted(service: StartedService, webhookId: string, path: string, pushed: { n: number }[]) {
  const requests = await endpointOf(receiver.port, path).requests();
  const delivered = new Set(
    requests.filter((r) => (r.status ?? 0) >= 200 && (r.status ?? 0) < 300).map(numberOf),
  );
  const failed = (await callApi(service, "GET", `/v1/webhooks/${webhookId}/failed`)).body.data as {
    body: string;
  }[];
  const recorded = new Set(failed.map((f) => (JSON.parse(f.body) as { result: { n: number } }).result.n));
  return { requests, lost: pushed.filter(({ n }) => !delivered.has(n) && !recorded.has(n)) };
}

function expectOrderPerEntity(requests: ReceivedRequest[], pushed: { n: number; entity: number }[]) {
  const answered = requests
    .filter((r) => r.status === 200)
    .sort((a, b) => (a.answered_at ?? 0) - (b.answered_at ?? 0));
  for (const entity of new Set(pushed.map((p) => p.entity))) {
    const order = answered.map(numberOf).filter((n) => pushed[n]?.entity === entity);
    expect(order).toEqual(pushed.filter((p) => p.entity === entity).map((p) => p.n));
  }
}

/**
 * Starts the service again on the state of the `stopped` one, waits (up to `withinMs`) until every
 * pushed change is delivered or listed as failed, and checks the order per entity.
 */
async function expectNothingLost(
  stopped: StartedService,
  at: { webhookId: string; path: string },
  pushed: { n: number; entity: number }[],
  withinMs: number,
) {
  const service = await startService({}, { persist: stopped.persist, devArgs: DEV_ARGS });
  try {
    const deadline = Date.now() + withinMs;
    let state = await accounted(service, at.webhookId, at.path, pushed);
    while (state.lost.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      state = await accounted(service, at.webhookId, at.path, pushed);
    }
    expect(state.lost).toEqual([]);
    expectOrderPerEntity(state.requests, pushed);
  } finally {
    await service.stop();
  }
}

describe("a restart of the local service", () => {
  it("while retries and held changes wait (a clean stop): loses none of them", async () => {
    const path = `/restart/${crypto.randomUUID()}`;
    const endpoint = endpointOf(receiver.port, path);
    await endpoint.script({ status: 503, body: "down for maintenance" });
    const service = await startService({}, { devArgs: DEV_ARGS });
    const webhook = (await callApi(service, "POST", "/v1/webhooks", { name: "restart", url: endpoint.url }))
      .body;
    const pushed = await pushChanges(service, [1, 2, 3], 4);
    // The first change of each entity failed and was retried: the rest wait behind it meanwhile.
    await until(async () => (await endpoint.requests()).length >= 6, 20_000);
    await service.stop({ keepState: true });

    await endpoint.script({ status: 200, body: "back" });
    await expectNothingLost(service, { webhookId: webhook.id, path }, pushed, 60_000);
  });

  it("killed while a receiver hangs: the deliveries that were out are made again after the restart", async () => {
    const path = `/restart/${crypto.randomUUID()}`;
    const endpoint = endpointOf(receiver.port, path);
    await endpoint.script({ status: 200, hang: true });
    const service = await startService({}, { devArgs: DEV_ARGS });
    const webhook = (await callApi(service, "POST", "/v1/webhooks", { name: "hang", url: endpoint.url }))
      .body;
    const pushed = await pushChanges(service, [1, 2, 3, 4], 2);
    await until(async () => (await endpoint.requests()).length >= 4, 20_000); // each entity's first is out
    // An attempt the slow lane took over (after 0.5 s at most) is kept by its webhook's object; one
    // younger than that is still only on the local changes queue, as a change accepted a moment ago.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await service.stop({ signal: "SIGKILL", keepState: true });

    await endpoint.script({ status: 200, body: "ok" });
    await expectNothingLost(service, { webhookId: webhook.id, path }, pushed, 90_000);
  });
});
