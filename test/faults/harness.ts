// The fault matrix's building blocks: a webhook on a scripted receiver path, pushing a change
// through ingest, waiting for requests, checking the gaps between attempts against the schedule
// of the faults project (vitest.config.ts), and the tally every file reports to the receiver.
import { expect } from "vitest";
import {
  type ReceivedRequest,
  receiverBase,
  receiverEndpoint,
  type ScriptedAnswer,
} from "../e2e/receiver-client";
import { faultTally } from "../fault-tally";
import { type Caller, call, createWebhook, ingest, newCaller } from "../helpers";
import { waitFor } from "../wait";

/** RETRY_DELAYS_S=1,1,1 (W = 1 s ±20 %), OVERLOAD_FLOOR_S=2, DELIVERY_TIMEOUT_MS=1000. */
export const SCHEDULE = { waitS: 1, jitter: 0.2, floorS: 2, timeoutS: 1, attempts: 4 };
/** How much later than scheduled a retry may arrive: queue hops and the receiver's own answer. */
const LATENESS_S = 3;

/**
 * The file's tally (reported to the receiver for the run's total). `follow` tracks every delivery
 * a webhook's log shows: judged when the file ends by what the receiver answered to its
 * webhook-id, on any path, and by what the API lists as failed.
 */
export function faultMatrix(label: string) {
  const tally = faultTally(label, async (counts) => {
    await fetch(`${receiverBase()}/_tally`, { method: "POST", body: JSON.stringify(counts) });
  });
  return {
    async follow(caller: Caller, webhookId: string): Promise<void> {
      const entries = await logsAt(caller, webhookId, 1);
      for (const messageId of new Set(entries.map((e: { message_id: string }) => e.message_id))) {
        tally.track({
          token: caller.token,
          webhookId,
          messageId,
          receiver: { requests: () => everywhere(messageId) },
        });
      }
    },
  };
}

export { waitFor };

export type Endpoint = ReturnType<typeof receiverEndpoint>;

/** A fresh account with one webhook on a receiver path that answers `answers` in turn. */
export async function hookedTo(...answers: ScriptedAnswer[]) {
  const caller = await newCaller();
  const endpoint = receiverEndpoint();
  if (answers.length > 0) await endpoint.script(...answers);
  const webhook = await createWebhook(caller, { url: endpoint.url });
  return { caller, endpoint, webhook };
}

export async function push(caller: Caller, overrides: Record<string, unknown> = {}) {
  const change = {
    account_id: caller.account,
    entity_type: "user",
    entity_id: 42,
    action_type: "update",
    result: { n: 1 },
    ...overrides,
  };
  const res = await ingest(change);
  expect(res.status, res.text).toBe(202);
}

export const requestsAt = (endpoint: Endpoint, count: number) =>
  waitFor(async () => {
    const got = await endpoint.requests();
    return got.length >= count && got;
  });

export const logsOf = async (caller: Caller, id: string) =>
  (await call("GET", `/v1/webhooks/${id}/logs`, { token: caller.token })).body.data as any[];

/** The log once it holds `count` entries, oldest first. */
export const logsAt = (caller: Caller, id: string, count: number) =>
  waitFor(async () => {
    const entries = await logsOf(caller, id);
    return entries.length >= count && entries.reverse();
  });

export const failedOf = async (caller: Caller, id: string) =>
  (await call("GET", `/v1/webhooks/${id}/failed`, { token: caller.token })).body.data as any[];

/**
 * Every wait between consecutive attempts lies within the schedule: never earlier than [lo, hi]
 * allows (in whole seconds, as queue delays are), at most LATENESS_S later. `extraS` is time the
 * failing attempt itself took (a timeout).
 */
export function expectWaits(requests: readonly ReceivedRequest[], [lo, hi]: [number, number], extraS = 0) {
  expect(requests.length).toBeGreaterThanOrEqual(2);
  requests.slice(1).forEach((next, i) => {
    const waitedS = (next.at - (requests[i] as ReceivedRequest).at) / 1000 - extraS;
    expect(waitedS, `waited ${waitedS} s`).toBeGreaterThanOrEqual(Math.round(lo) - 0.05);
    expect(waitedS, `waited ${waitedS} s`).toBeLessThanOrEqual(hi + LATENESS_S);
  });
}

/** W's bounds, and W clamped as a Retry-After of `asked` seconds would be: [W, 2W]. */
export const W: [number, number] = [
  SCHEDULE.waitS * (1 - SCHEDULE.jitter),
  SCHEDULE.waitS * (1 + SCHEDULE.jitter),
];
export const retryAfterWait = (asked: number): [number, number] => [
  Math.min(Math.max(asked, W[0]), 2 * W[0]),
  Math.min(Math.max(asked, W[1]), 2 * W[1]),
];

/** Every request any path of the receiver got that carries this webhook-id. */
export async function everywhere(webhookId: string): Promise<ReceivedRequest[]> {
  const all = (await (await fetch(`${receiverBase()}/_all`)).json()) as ReceivedRequest[];
  return all.filter((request) => request.headers["webhook-id"] === webhookId);
}
