// Runs delivery jobs concurrently and decides, per job, what happens next. No queue or D1
// writes here: the outcomes are persisted together by ./outcomes.ts.
import { configOf } from "../config";
import { requestLogOf } from "../request-log/durable-object";
import type { WebhookRecord } from "../webhooks/storage";
import { attemptDelivery } from "./attempt";
import type { DeliveryJob } from "./job";
import { isEarly, retryDelay } from "./policy";
import type { ExchangeClock } from "./send";
import { type Target, targetOf } from "./targets";

export type FailReason = "exhausted" | "gone" | "disabled" | "unprocessable";

export type JobOutcome =
  | { kind: "delivered"; job: DeliveryJob }
  /** Nothing to do: the webhook was deleted or switched off by hand. */
  | { kind: "dropped"; job: DeliveryJob }
  /** Back on the deliveries queue: a retry, a hop of a long wait, or work beyond this batch's share. */
  | { kind: "requeued"; job: DeliveryJob }
  | { kind: "failed"; job: DeliveryJob; reason: FailReason; attempts: number }
  /** Something broke on our side (D1, a secret that does not decrypt): the queue tries again. */
  | { kind: "error"; job: DeliveryJob; error: unknown }
  /** Still running when the batch ended: it finishes in the slow lane, covered by a guard message. */
  | { kind: "handed-off"; job: DeliveryJob };

/** What an attempt tells about the webhook's health. */
export interface HealthSample {
  webhookId: string;
  startedAt: string;
  status: number | null;
  success: boolean;
  gone: boolean;
}

export interface Executed {
  outcome: JobOutcome;
  sample?: HealthSample;
}

/** What the batch lends a job: a clock for its exchange, and the batch's decrypted targets. */
export interface Lane {
  clock?: ExchangeClock;
  target?: (webhook: WebhookRecord) => Promise<Target>;
}

export async function executeJob(
  env: Env,
  job: DeliveryJob,
  webhook: WebhookRecord | undefined,
  lane: Lane = {},
): Promise<Executed> {
  const now = Date.now();
  if (!webhook) return { outcome: { kind: "dropped", job } };
  if (job.guard) {
    // The attempt this guard covers finished and its outcome was stored: nothing left to do.
    if (await requestLogOf(env, webhook.id).isSettled(job.message_id, job.attempt))
      return { outcome: { kind: "dropped", job } };
    job = { ...job, guard: undefined };
  }
  if (!webhook.is_active) {
    // Disabled by the service (gone, failing): kept as a failed delivery to recover later.
    return {
      outcome: webhook.disabled_reason
        ? { kind: "failed", job, reason: "disabled", attempts: job.attempt - 1 }
        : { kind: "dropped", job },
    };
  }
  if (isEarly(job.due_at, now)) return { outcome: { kind: "requeued", job } };

  const target = await (lane.target?.(webhook) ?? targetOf(env, webhook, now));
  const { result, verdict } = await attemptDelivery(
    env,
    target,
    { kind: "delivery", messageId: job.message_id, payload: job.payload, attempt: job.attempt },
    lane.clock,
  );
  const status = result.response?.status ?? null;
  const sample = {
    webhookId: webhook.id,
    startedAt: result.startedAt,
    status,
    success: verdict.kind === "success",
    gone: verdict.kind === "gone",
  };
  const tried: DeliveryJob = {
    ...job,
    first_attempt_at: job.first_attempt_at ?? result.startedAt,
    last_status: status,
    last_error: result.error,
    due_at: undefined,
  };
  if (verdict.kind === "success") return { outcome: { kind: "delivered", job: tried }, sample };
  if (verdict.kind === "gone")
    return { outcome: { kind: "failed", job: tried, reason: "gone", attempts: job.attempt }, sample };

  const retryAfter = result.response?.headers["retry-after"] ?? null;
  const delayS = retryDelay(job.attempt, verdict, retryAfter, configOf(env), Math.random, Date.now());
  if (delayS === null)
    return { outcome: { kind: "failed", job: tried, reason: "exhausted", attempts: job.attempt }, sample };
  const next = { ...tried, attempt: job.attempt + 1, due_at: Date.now() + delayS * 1000 };
  return { outcome: { kind: "requeued", job: next }, sample };
}

/** One job, with a failure on our side turned into an "error" outcome instead of a rejection. */
export function executeJobSafely(
  env: Env,
  job: DeliveryJob,
  webhook: WebhookRecord | undefined,
  lane?: Lane,
): Promise<Executed> {
  return executeJob(env, job, webhook, lane).catch((error: unknown) => ({
    outcome: { kind: "error" as const, job, error },
  }));
}
