// A real receiver misbehaving on the wire: silent, late, trickling, flooding, resetting, or not
// there at all. No attempt outlives the timeout, at most 16 KiB of an answer is read, and every
// delivery ends delivered or recorded.
import { describe, expect, it } from "vitest";
import { receiverBase } from "../e2e/receiver-client";
import { createWebhook, newCaller } from "../helpers";
import {
  expectWaits,
  failedOf,
  faultMatrix,
  hookedTo,
  logsAt,
  push,
  requestsAt,
  SCHEDULE,
  W,
  waitFor,
} from "./harness";

const faults = faultMatrix("fault matrix: connections");
const floor: [number, number] = [SCHEDULE.floorS, SCHEDULE.floorS];

describe("a receiver that does not answer in time, then does", () => {
  it.each([
    ["never answers", { status: 200, hang: true }],
    ["answers 200 only after the timeout", { status: 200, delay_ms: 1500 }],
  ])(
    "%s: logged as a timeout, retried after the overload floor, delivered with the same webhook-id",
    async (_, late) => {
      const { caller, endpoint, webhook } = await hookedTo(late, { status: 200 });
      await push(caller);
      const requests = await requestsAt(endpoint, 2);
      expect(requests[1]?.headers["webhook-id"]).toBe(requests[0]?.headers["webhook-id"]);
      expectWaits(requests, floor, SCHEDULE.timeoutS);
      const [timedOut, landed] = await logsAt(caller, webhook.id, 2);
      expect(timedOut).toMatchObject({ attempt: 1, success: false, error: "timeout", response: null });
      expect(timedOut.duration_ms).toBeLessThan(SCHEDULE.timeoutS * 1000 + 500);
      expect(landed).toMatchObject({ attempt: 2, success: true });
      await faults.follow(caller, webhook.id);
    },
  );
});

describe("a receiver whose answer misbehaves", () => {
  it("trickles its body (slow-loris): read until the timeout, then let go; the 200 counts", async () => {
    const trickle = { chunk: "x", every_ms: 200, chunks: 100 };
    const { caller, endpoint, webhook } = await hookedTo({ status: 200, trickle });
    await push(caller);
    const [entry] = await logsAt(caller, webhook.id, 1);
    expect(entry).toMatchObject({
      attempt: 1,
      success: true,
      response: { status: 200, body_truncated: true },
    });
    expect(entry.duration_ms).toBeLessThan(SCHEDULE.timeoutS * 1000 + 500);
    const [request] = await waitFor(async () => {
      const got = await endpoint.requests();
      return got[0]?.client_gone_at !== undefined && got;
    });
    expect(request?.bytes_sent).toBeLessThan(trickle.chunks); // the worker left before the trickle ended
    await faults.follow(caller, webhook.id);
  });

  it("streams a 64 MB body: 16 KiB kept, the rest never read (memory stays flat)", async () => {
    const size = 64 * 1024 * 1024;
    const { caller, endpoint, webhook } = await hookedTo({ status: 200, body_bytes: size });
    await push(caller);
    const [entry] = await logsAt(caller, webhook.id, 1);
    expect(entry).toMatchObject({ success: true, response: { status: 200, body_truncated: true } });
    expect(entry.response.body).toHaveLength(16 * 1024);
    const [request] = await waitFor(async () => {
      const got = await endpoint.requests();
      return got[0]?.client_gone_at !== undefined && got;
    });
    expect(request?.bytes_sent).toBeLessThan(size / 4);
    await faults.follow(caller, webhook.id);
  });

  it("resets the connection: logged as a network error, retried, delivered with the same webhook-id", async () => {
    const { caller, endpoint, webhook } = await hookedTo({ status: 200, reset: true }, { status: 200 });
    await push(caller);
    const requests = await requestsAt(endpoint, 2);
    expect(requests[1]?.headers["webhook-id"]).toBe(requests[0]?.headers["webhook-id"]);
    expectWaits(requests, W);
    const [reset, landed] = await logsAt(caller, webhook.id, 2);
    expect(reset).toMatchObject({ attempt: 1, success: false, response: null, error: expect.any(String) });
    expect(reset.error).not.toBe("timeout");
    expect(landed).toMatchObject({ attempt: 2, success: true });
    await faults.follow(caller, webhook.id);
  });
});

describe("a receiver that is not there", () => {
  it("refuses the connection (closed port): every attempt logged, then recorded as failed", async () => {
    const { port } = (await (await fetch(`${receiverBase()}/_closed_port`)).json()) as { port: number };
    const caller = await newCaller();
    const webhook = await createWebhook(caller, { url: `http://127.0.0.1:${port}/hook` });
    await push(caller);
    const [row] = await waitFor(async () => {
      const rows = await failedOf(caller, webhook.id);
      return rows.length > 0 && rows;
    });
    expect(row).toMatchObject({ reason: "exhausted", attempts: SCHEDULE.attempts, last_status: null });
    const entries = await logsAt(caller, webhook.id, SCHEDULE.attempts);
    expect(entries.map((e) => [e.attempt, e.success, e.response])).toEqual([
      [1, false, null],
      [2, false, null],
      [3, false, null],
      [4, false, null],
    ]);
    await faults.follow(caller, webhook.id);
  });
});
