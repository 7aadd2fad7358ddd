// What the delivery metrics (../metrics/attempts.ts) are told of an attempt the webhook's object
// settled, and of a delivery it found superseded before any attempt. Pure.
import type { NewFailure } from "../failed/storage";
import type { AttemptOutcome, AttemptRecord } from "../metrics/attempts";
import type { LogEntry } from "../request-log/schemas";
import type { DeliveryJob } from "./job";

export const attemptPoint = (job: DeliveryJob, entry: LogEntry, outcome: AttemptOutcome): AttemptRecord => ({
  accountId: job.account_id,
  webhookId: job.webhook_id,
  outcome,
  status: entry.response?.status ?? null,
  error: entry.error,
  durationMs: entry.duration_ms,
  attempt: job.attempt,
});

export const supersededPoint = (failure: NewFailure): AttemptRecord => ({
  accountId: failure.account_id,
  webhookId: failure.webhook_id,
  outcome: "superseded",
  status: null,
  error: null,
  durationMs: 0,
  attempt: failure.attempts,
});
