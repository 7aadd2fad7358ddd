// A real receiver answering error statuses: each attempt logged, retried within the schedule
// with the same webhook-id until it lands, or recorded as a failed delivery.
import { describe, expect, it } from "vitest";
import { call } from "../helpers";
import type { ScriptedAnswer } from "../receiver-script";
import {
  expectWaits,
  failedOf,
  faultMatrix,
  hookedTo,
  logsAt,
  push,
  requestsAt,
  retryAfterWait,
  SCHEDULE,
  W,
  waitFor,
} from "./harness";

const faults = faultMatrix("fault matrix: statuses");
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toUTCString();
const floor: [number, number] = [SCHEDULE.floorS, SCHEDULE.floorS];

const recoverable: [string, () => ScriptedAnswer, [number, number]][] = [
  ["500", () => ({ status: 500, body: "oops" }), W],
  ["503 with Retry-After: 1", () => ({ status: 503, headers: { "retry-after": "1" } }), retryAfterWait(1)],
  [
    "503 with Retry-After as an HTTP date 30 s ahead",
    () => ({ status: 503, headers: { "retry-after": inSeconds(30) } }),
    retryAfterWait(30),
  ],
  ["503 with Retry-After: 0", () => ({ status: 503, headers: { "retry-after": "0" } }), W],
  ["503 with Retry-After: -5", () => ({ status: 503, headers: { "retry-after": "-5" } }), W],
  ["503 with Retry-After: garbage", () => ({ status: 503, headers: { "retry-after": "when pigs fly" } }), W],
  [
    "503 with Retry-After: 999999999",
    () => ({ status: 503, headers: { "retry-after": "999999999" } }),
    retryAfterWait(999999999),
  ],
  ["429", () => ({ status: 429, body: "slow down" }), floor],
];

describe("a receiver answering an error status, then 200", () => {
  it.each(recoverable)(
    "%s: logged, retried within the schedule, delivered with the same webhook-id",
    async (_, answer, wait) => {
      const scripted = answer();
      const { caller, endpoint, webhook } = await hookedTo(scripted, { status: 200, body: "thanks" });
      await push(caller);
      const requests = await requestsAt(endpoint, 2);
      expect(requests[1]?.headers["webhook-id"]).toBe(requests[0]?.headers["webhook-id"]);
      expectWaits(requests, wait);
      const [failed, landed] = await logsAt(caller, webhook.id, 2);
      expect(failed).toMatchObject({ attempt: 1, success: false, response: { status: scripted.status } });
      expect(landed).toMatchObject({ attempt: 2, success: true, response: { status: 200, body: "thanks" } });
      await faults.follow(caller, webhook.id);
    },
  );
});

describe("a receiver that fails for good", () => {
  it("410 Gone: one request, the webhook disabled, the delivery recorded as failed", async () => {
    const { caller, endpoint, webhook } = await hookedTo({ status: 410 });
    await push(caller);
    const [row] = await waitFor(async () => {
      const rows = await failedOf(caller, webhook.id);
      return rows.length > 0 && rows;
    });
    expect(row).toMatchObject({ reason: "gone", attempts: 1, last_status: 410 });
    expect(await endpoint.requests()).toHaveLength(1);
    const current = await call("GET", `/v1/webhooks/${webhook.id}`, { token: caller.token });
    expect(current.body).toMatchObject({ is_active: false, disabled_reason: "gone" });
    await faults.follow(caller, webhook.id);
  });

  it("500 on every attempt: four attempts within the schedule, then recorded as failed", async () => {
    const { caller, endpoint, webhook } = await hookedTo({ status: 500 });
    await push(caller);
    const [row] = await waitFor(async () => {
      const rows = await failedOf(caller, webhook.id);
      return rows.length > 0 && rows;
    });
    expect(row).toMatchObject({ reason: "exhausted", attempts: SCHEDULE.attempts, last_status: 500 });
    const requests = await endpoint.requests();
    expect(requests).toHaveLength(SCHEDULE.attempts);
    expect(new Set(requests.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expectWaits(requests, W);
    await faults.follow(caller, webhook.id);
  });
});
