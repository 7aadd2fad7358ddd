// Persists what a batch of attempts decided: retries back onto the deliveries queue, spent
// deliveries onto the dead-letter queue, health into D1. Source messages are acked only for
// jobs whose next step is safely stored.

import { markRecovered } from "../failed/storage";
import type { Executed, FailReason } from "./execute";
import { healthStatements, summarizeHealth } from "./health";
import type { DeliveryJob } from "./job";
import { queueDelaySeconds } from "./policy";
import { sendAll } from "./queue-batches";

export interface DeliveryMessage {
  type: "delivery";
  job: DeliveryJob;
}

export interface FailedMessage {
  type: "failed";
  reason: FailReason;
  attempts: number;
  failed_at: string;
  job: DeliveryJob;
}

export async function persistOutcomes(env: Env, executed: readonly Executed[]): Promise<Set<DeliveryJob>> {
  const now = Date.now();
  const requeue = executed.flatMap(({ outcome }) =>
    outcome.kind === "requeued"
      ? [
          {
            job: outcome.job,
            body: { type: "delivery", job: outcome.job } satisfies DeliveryMessage,
            delaySeconds: queueDelaySeconds(outcome.job.due_at ?? now, now),
          },
        ]
      : [],
  );
  const failed = executed.flatMap(({ outcome }) =>
    outcome.kind === "failed"
      ? [
          {
            job: outcome.job,
            body: {
              type: "failed",
              reason: outcome.reason,
              attempts: outcome.attempts,
              failed_at: new Date(now).toISOString(),
              job: outcome.job,
            } satisfies FailedMessage,
          },
        ]
      : [],
  );
  const [unsentRetries, unsentFailures] = await Promise.all([
    sendAll(env.DELIVERIES, requeue),
    sendAll(env.DEAD_LETTERS, failed),
    writeD1(env, executed, now),
  ]);
  const errored = executed.flatMap(({ outcome }) => (outcome.kind === "error" ? [outcome.job] : []));
  for (const { outcome } of executed) if (outcome.kind === "error") logJobError(outcome.job, outcome.error);
  return new Set([...unsentRetries.map((m) => m.job), ...unsentFailures.map((m) => m.job), ...errored]);
}

/** Health of every webhook the batch touched, and recovered failures, in one D1 batch. */
async function writeD1(env: Env, executed: readonly Executed[], now: number): Promise<void> {
  const updates = summarizeHealth(executed.flatMap(({ sample }) => (sample ? [sample] : [])));
  const recovered = executed.flatMap(({ outcome, sample }) =>
    outcome.kind === "delivered" && outcome.job.failed_id && sample
      ? [markRecovered(env.DB, outcome.job.webhook_id, outcome.job.message_id, sample.startedAt)]
      : [],
  );
  const statements = [...healthStatements(env.DB, updates, now), ...recovered];
  if (statements.length === 0) return;
  try {
    await env.DB.batch(statements);
  } catch (error) {
    // Health is a view of what happened; a missed update must not repeat deliveries.
    console.error(JSON.stringify({ level: "error", msg: "health update failed", error: String(error) }));
  }
}

function logJobError(job: DeliveryJob, error: unknown): void {
  console.error(
    JSON.stringify({
      level: "error",
      msg: "delivery job failed on our side; the queue will retry it",
      webhook_id: job.webhook_id,
      message_id: job.message_id,
      error: String(error instanceof Error ? error.stack : error),
    }),
  );
}
