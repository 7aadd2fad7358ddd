// Faults injected by a test file, and what became of each, judged when the file ends from evidence
// the test does not keep itself: a receiver that answered the delivery's webhook-id with a 2xx
// (the real receiver's record, or the webhook's request log where a spy stands in for it), or the
// API listing it as a failed delivery. A fault with neither is lost; the file prints its counts
// and fails unless none is lost.
import { afterAll, expect } from "vitest";
import { call } from "./helpers";
import type { ReceivedRequest } from "./receiver-script";

export interface FaultCounts {
  injected: number;
  recovered: number;
  recorded: number;
  lost: number;
}

/** A delivery a fault was injected into: whose webhook, which webhook-id, and who received it. */
export interface TrackedDelivery {
  token: string;
  webhookId: string;
  messageId: string;
  /** The real receiver's record of what it got; without one, the webhook's request log tells. */
  receiver?: { requests(): Promise<ReceivedRequest[]> };
}

async function deliveredTo(fault: TrackedDelivery): Promise<boolean> {
  const is2xx = (status: number | undefined | null) =>
    status !== undefined && status !== null && status >= 200 && status < 300;
  if (fault.receiver) {
    return (await fault.receiver.requests()).some(
      (r) => r.headers["webhook-id"] === fault.messageId && is2xx(r.status),
    );
  }
  const logs = await call("GET", `/v1/webhooks/${fault.webhookId}/logs`, { token: fault.token });
  return (logs.body.data as { message_id: string; success: boolean }[]).some(
    (entry) => entry.message_id === fault.messageId && entry.success,
  );
}

async function outcomeOf(fault: TrackedDelivery): Promise<"recovered" | "recorded" | "lost"> {
  if (await deliveredTo(fault)) return "recovered";
  const failed = await call("GET", `/v1/webhooks/${fault.webhookId}/failed`, { token: fault.token });
  const listed = (failed.body.data as { message_id: string }[] | undefined)?.some(
    (f) => f.message_id === fault.messageId,
  );
  return listed ? "recorded" : "lost";
}

export function faultTally(label: string, report?: (counts: FaultCounts) => Promise<void>) {
  const faults: TrackedDelivery[] = [];
  afterAll(async () => {
    const outcomes = await Promise.all(faults.map(outcomeOf));
    const counts = {
      injected: faults.length,
      recovered: outcomes.filter((o) => o === "recovered").length,
      recorded: outcomes.filter((o) => o === "recorded").length,
      lost: outcomes.filter((o) => o === "lost").length,
    };
    console.log(
      `${label}: ${counts.injected} faults injected, ${counts.recovered + counts.recorded} recovered or recorded (${counts.recovered} recovered, ${counts.recorded} recorded), ${counts.lost} lost`,
    );
    await report?.(counts);
    expect(counts.lost).toBe(0);
  });
  return {
    /** A fault went into this delivery; what became of it is judged when the file ends. */
    track(delivery: TrackedDelivery): void {
      faults.push(delivery);
    },
  };
}
