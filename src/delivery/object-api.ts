// What the consumers and the webhook's Durable Object tell each other.
import { configOf } from "../config";
import type { FailReason } from "../failed/schemas";
import type { NewFailure } from "../failed/storage";
import type { LogEntry } from "../request-log/schemas";
import { DNS_TIMEOUT_MS } from "../webhooks/destination";
import type { WebhookRecord } from "../webhooks/storage";
import type { DeliveryJob } from "./job";

/** What the object needs to know of its webhook (the consumer read it from D1). */
export interface WebhookState {
  active: boolean;
  disabled_reason: WebhookRecord["disabled_reason"];
  max_per_second: number | null;
}

export const stateOf = (webhook: WebhookRecord): WebhookState => ({
  active: webhook.is_active,
  disabled_reason: webhook.disabled_reason,
  max_per_second: webhook.max_per_second,
});

/** What became of an attempt. */
export type Outcome =
  | { kind: "delivered" }
  /** Tried again at dueAt as `job` (its next attempt). */
  | { kind: "retry"; dueAt: number; job: DeliveryJob }
  | { kind: "failed"; reason: "exhausted" | "gone" };

export interface Finished {
  /** The job as it was attempted. */
  job: DeliveryJob;
  entry: LogEntry;
  outcome: Outcome;
}

/** Extra time a delivery that is out is given beyond its timeout before it counts as lost. */
export const LEASE_MARGIN_MS = 10_000;

/** How long a delivery that went out blocks its entity if nobody reports back (then it is made again). */
export const leaseMs = (env: Env) => {
  const { deliveryTimeoutMs } = configOf(env);
  return Math.min(deliveryTimeoutMs, DNS_TIMEOUT_MS) + deliveryTimeoutMs + LEASE_MARGIN_MS;
};

export function failureOf(job: DeliveryJob, reason: FailReason, attempts: number, now: number): NewFailure {
  return {
    webhook_id: job.webhook_id,
    account_id: job.account_id,
    message_id: job.message_id,
    change_id: job.change_id,
    seq: job.seq,
    payload: job.payload,
    reason,
    attempts,
    last_status: job.last_status ?? null,
    last_error: job.last_error ?? null,
    first_attempt_at: job.first_attempt_at,
    failed_at: new Date(now).toISOString(),
  };
}
