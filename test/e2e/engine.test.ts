// The delivery engine's promises at its edges, through the real local queues to receivers on
// 127.0.0.1: a change to a webhook applies at once, a failed delivery sent again never leaves the
// receiver on an older change, and a recovered delivery counts as recovered once it lands, however
// slowly its receiver answers.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { type Caller, call, createWebhook, INGEST_TOKEN, newCaller } from "../helpers";
import { waitFor } from "../wait";
import { type ReceivedRequest, receiverEndpoint } from "./receiver-client";

const push = (caller: Caller, entity_id: number, n: number) =>
  call("POST", "/v1/changes", {
    token: INGEST_TOKEN,
    json: {
      account_id: caller.account,
      entity_type: "user",
      entity_id,
      action_type: "update",
      result: { n },
      change_id: `chg_${caller.account}_${n}`,
    },
  });
const api = (caller: Caller, method: string, path: string, json?: unknown) =>
  call(method, `/v1/webhooks${path}`, { token: caller.token, json });
const pending = async (caller: Caller, id: string) =>
  (await api(caller, "GET", `/${id}/pending`)).body.data as any[];
const failedOf = async (caller: Caller, id: string) =>
  (await api(caller, "GET", `/${id}/failed`)).body.data as any[];
const nOf = (request: ReceivedRequest) => (JSON.parse(request.body) as { result: { n: number } }).result.n;

/**
 * How long after a change answered a request the change forbids may still arrive: it started
 * before the answer, and crossed the loopback after. Far below the seconds a stale consumer kept
 * sending for.
 */
const IN_FLIGHT_MS = 500;

describe("a change to a webhook", () => {
  it("applies at once: after PATCH url and headers, and after a rotation, no request starts with what the webhook was", async () => {
    const caller = await newCaller();
    const [old1, new1, hook2] = [receiverEndpoint("old"), receiverEndpoint("new"), receiverEndpoint("two")];
    for (const endpoint of [old1, new1, hook2]) await endpoint.script({ status: 200, delay_ms: 30 });
    const moved = await createWebhook(caller, { url: old1.url, headers: { "x-api-key": "old-key" } });
    const rotated = await createWebhook(caller, { url: hook2.url });
    let n = 0;
    let streaming = true;
    const accepted: number[] = [];
    const stream = (async () => {
      while (streaming) {
        const batch = [0, 1, 2].map(() => n++);
        await Promise.all(
          batch.map((m) => push(caller, m % 7, m).then((res) => res.status === 202 && accepted.push(m))),
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await waitFor(async () => (await old1.requests()).length >= 20 && (await hook2.requests()).length >= 20);

    const patched = await api(caller, "PATCH", `/${moved.id}`, {
      url: new1.url,
      headers: { "x-api-key": "new-key" },
    });
    expect(patched.status, patched.text).toBe(200);
    const movedAt = Date.now();
    const rotation = await api(caller, "POST", `/${rotated.id}/secret/rotate`);
    expect(rotation.status, rotation.text).toBe(200);
    const rotatedAt = Date.now();
    await waitFor(async () => (await new1.requests()).length >= 20);
    streaming = false;
    await stream;
    await waitFor(
      async () =>
        (await pending(caller, moved.id)).length === 0 && (await pending(caller, rotated.id)).length === 0,
    );

    const late = (await old1.requests()).filter((r) => r.at > movedAt + IN_FLIGHT_MS);
    expect(late.map(nOf)).toEqual([]);
    expect((await new1.requests()).every((r) => r.headers["x-api-key"] === "new-key")).toBe(true);
    const oldSecretOnly = (await hook2.requests()).filter(
      (r) => r.at > rotatedAt + IN_FLIGHT_MS && r.headers["webhook-signature"]?.split(" ").length !== 2,
    );
    expect(oldSecretOnly.map(nOf)).toEqual([]);
    for (const r of (await hook2.requests()).filter((r) => r.at > rotatedAt + IN_FLIGHT_MS))
      expect(() => new Webhook(rotation.body.secret).verify(r.body, r.headers)).not.toThrow();
    // Nothing accepted was lost on the way: each change reached the moved webhook, at one URL or the other.
    const reached = new Set([...(await old1.requests()), ...(await new1.requests())].map(nOf));
    expect(accepted.filter((m) => !reached.has(m))).toEqual([]);
  });
});

describe("a failed delivery sent again", () => {
  async function failedThenNewer(newerAnswer: { status: number; delay_ms?: number }) {
    const caller = await newCaller();
    const endpoint = receiverEndpoint();
    // A fails its whole schedule (RETRY_DELAYS_S=1,1,1: four attempts); then B of the same user.
    await endpoint.script(...Array(4).fill({ status: 500 }), newerAnswer, { status: 200 });
    const webhook = await createWebhook(caller, { url: endpoint.url });
    await push(caller, 42, 1);
    const [a] = await waitFor(async () => {
      const failed = await failedOf(caller, webhook.id);
      return failed.length === 1 && failed;
    });
    await push(caller, 42, 2);
    await waitFor(async () => (await endpoint.requests()).length === 5);
    return { caller, endpoint, webhook, a };
  }

  it("is refused (superseded) while a newer change of its record is out, and the receiver ends on the newer one", async () => {
    const { caller, endpoint, webhook, a } = await failedThenNewer({ status: 200, delay_ms: 1500 });
    const redeliver = await api(caller, "POST", `/${webhook.id}/failed/${a.id}/redeliver`);
    expect(redeliver.status, redeliver.text).toBe(409);
    expect(redeliver.body.type).toMatch(/superseded$/);
    const answered = await waitFor(async () => {
      const got = (await endpoint.requests()).filter((r) => r.status === 200);
      return got.length > 0 && got;
    });
    expect(answered.map(nOf)).toEqual([2]);
    expect((await endpoint.requests()).length).toBe(5);
    expect(await failedOf(caller, webhook.id)).toEqual([
      expect.objectContaining({ id: a.id, reason: "superseded" }),
    ]);
  });

  it("is refused (superseded) while a newer change of its record waits for a retry, by recover too", async () => {
    const { caller, endpoint, webhook, a } = await failedThenNewer({ status: 503 });
    const redeliver = await api(caller, "POST", `/${webhook.id}/failed/${a.id}/redeliver`);
    expect(redeliver.status, redeliver.text).toBe(409);
    const recover = await api(caller, "POST", `/${webhook.id}/recover`, {
      since: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(recover.body).toEqual({ queued: 0, superseded: 0 }); // already recorded as superseded by the redeliver
    const last = await waitFor(async () => {
      const got = (await endpoint.requests()).filter((r) => r.status === 200);
      return got.length > 0 && got;
    });
    expect(last.map(nOf)).toEqual([2]);
  });
});

describe("a recovered delivery", () => {
  it("is marked recovered once its receiver answers 2xx, however slowly, and leaves the count of failed deliveries", async () => {
    const caller = await newCaller();
    const endpoint = receiverEndpoint();
    await endpoint.script({ status: 500 });
    const webhook = await createWebhook(caller, { url: endpoint.url });
    for (let entity = 1; entity <= 3; entity++) await push(caller, entity, entity);
    await waitFor(async () => (await failedOf(caller, webhook.id)).length === 3);
    // Slower than the slow lane's limit: each is handed off and reports its outcome late.
    await endpoint.script({ status: 200, delay_ms: 1500 });
    const since = new Date(Date.now() - 120_000).toISOString();
    const recover = await api(caller, "POST", `/${webhook.id}/recover`, { since });
    expect(recover.body).toEqual({ queued: 3, superseded: 0 });
    const recovered = await waitFor(async () => {
      const failed = await failedOf(caller, webhook.id);
      return failed.every((f) => f.recovered_at !== null) && failed;
    });
    expect(recovered).toHaveLength(3);
    expect((await api(caller, "GET", `/${webhook.id}`)).body.failed_deliveries).toBe(0);
    // Recovered means delivered: a recover now has nothing left to send.
    expect((await api(caller, "POST", `/${webhook.id}/recover`, { since })).body).toEqual({
      queued: 0,
      superseded: 0,
    });
  });

  it("sent again by hand is marked recovered once its receiver answers 2xx, however slowly", async () => {
    const caller = await newCaller();
    const endpoint = receiverEndpoint();
    await endpoint.script({ status: 500 });
    const webhook = await createWebhook(caller, { url: endpoint.url });
    await push(caller, 1, 1);
    const [failed] = await waitFor(async () => {
      const list = await failedOf(caller, webhook.id);
      return list.length === 1 && list;
    });
    await endpoint.script({ status: 200, delay_ms: 1500 });
    const redeliver = await api(caller, "POST", `/${webhook.id}/failed/${failed.id}/redeliver`);
    expect(redeliver.status, redeliver.text).toBe(200);
    expect(redeliver.body).toMatchObject({ success: true, message_id: failed.message_id });
    expect((await failedOf(caller, webhook.id))[0].recovered_at).toBe(redeliver.body.created_at);
  });
});
