// What the consumers (and the admin API's manual sends) and the webhook's Durable Object tell each
// other. A caller asks (begin, claim, manual), is answered with a grant, sends, and reports back
// (report): the object decides everything that follows an attempt.
import { configOf } from "../config";
import type { FailReason } from "../failed/schemas";
import type { NewFailure } from "../failed/storage";
import type { LogEntry } from "../request-log/schemas";
import { DNS_TIMEOUT_MS } from "../webhooks/destination";
import { deliveryStateOf, type WebhookRecord } from "../webhooks/record";
import { type Holder, START_WITHIN_MS } from "./grants";
import type { DeliveryJob } from "./job";
import { type TokenGrant, tokenSourceOf } from "./tokens";

export type { Holder, WebhookState } from "./grants";

/** The configuration a caller read from D1, as it tells the object. */
export const holderOf = (webhook: WebhookRecord): Holder => ({
  version: webhook.config_version,
  state: deliveryStateOf(webhook),
  auth: tokenSourceOf(webhook),
});

/**
 * The object's answer to a caller that asks what may go. "go": these jobs are out under `lease`
 * (each must start within START_WITHIN_MS of asking, or go back unsent in the report); "stale":
 * the caller's configuration is older than the object's, so nothing goes with it (the object
 * keeps what waits and wakes the deliveries consumer, which reads the webhook afresh); "gone":
 * the webhook was deleted. A webhook with endpoint credentials gets `auth` with its jobs: the
 * token they are sent with, or the token request's failure, which each of them logs as its attempt.
 */
export type Answer =
  | { kind: "go"; lease: number; jobs: DeliveryJob[]; auth?: TokenGrant }
  | { kind: "stale" }
  | { kind: "gone" };

/** An attempt that ended: the job as it was sent (with its lease) and its log entry. */
export interface Finished {
  job: DeliveryJob;
  entry: LogEntry;
}

/** What a caller reports of the jobs it was let go. */
export interface Report {
  /** Attempts that ended. */
  finished?: Finished[];
  /** Exchanges the slow lane took over: under way, their outcome comes in a later report. */
  handedOff?: DeliveryJob[];
  /** Jobs not sent after all (benched, too late to start, failed on our side), due again at `dueAt`. */
  handedBack?: { job: DeliveryJob; dueAt: number }[];
  /** The lease whose round this report ends: none of its jobs can start any more. */
  closes?: number;
}

/** Extra time a delivery that is out is given beyond its timeout before it counts as lost. */
const LEASE_MARGIN_MS = 10_000;

/**
 * How long a delivery that went out blocks its entity if nobody reports back (then it is made
 * again): the time its exchange may take to start, its DNS check and its timeout, and a margin.
 */
export const leaseMs = (env: Env) => {
  const { deliveryTimeoutMs } = configOf(env);
  return START_WITHIN_MS + Math.min(deliveryTimeoutMs, DNS_TIMEOUT_MS) + deliveryTimeoutMs + LEASE_MARGIN_MS;
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
    last_response: job.last_response ?? null,
    first_attempt_at: job.first_attempt_at,
    failed_at: new Date(now).toISOString(),
  };
}
