// Dead-letter consumer: records every delivery that failed for good, and every message another
// consumer could not process at all, in D1. One D1 batch per consumer batch; idempotent.
import { subscriptionKeys } from "../changes/matching";
import { ChangeMessage } from "../changes/schemas";
import type { PoisonMessage } from "../delivery/consume";
import { retryAllOnSystemError } from "../delivery/consume";
import { parseDeliveryMessage } from "../delivery/consumer";
import { type DeliveryJob, messageIdFor } from "../delivery/job";
import type { FailedMessage } from "../delivery/outcomes";
import { findSubscribers } from "../webhooks/lookups";
import { type NewFailure, recordFailure } from "./storage";

const failureOf = (
  job: DeliveryJob,
  reason: NewFailure["reason"],
  attempts: number,
  failedAt: string,
): NewFailure => ({
  webhook_id: job.webhook_id,
  account_id: job.account_id,
  message_id: job.message_id,
  change_id: job.change_id,
  payload: job.payload,
  reason,
  attempts,
  last_status: job.last_status ?? null,
  last_error: job.last_error ?? null,
  first_attempt_at: job.first_attempt_at,
  failed_at: failedAt,
});

function isFailedMessage(body: unknown): body is FailedMessage {
  if (typeof body !== "object" || body === null) return false;
  const candidate = body as Partial<FailedMessage>;
  return (
    candidate.type === "failed" && parseDeliveryMessage({ type: "delivery", job: candidate.job }) !== null
  );
}

function isPoisonMessage(body: unknown): body is PoisonMessage {
  if (typeof body !== "object" || body === null) return false;
  const candidate = body as Partial<PoisonMessage>;
  return (
    candidate.type === "poison" && typeof candidate.queue === "string" && typeof candidate.raw === "string"
  );
}

/** A change whose fan-out never succeeded: every webhook it would have reached gets a failure. */
async function failuresOfChange(
  db: D1Database,
  change: ChangeMessage,
  failedAt: string,
): Promise<NewFailure[]> {
  const matches = await findSubscribers(db, subscriptionKeys(change.change, 0));
  const { account_id, entity_type, entity_id, action_type, result } = change.change;
  return Promise.all(
    matches.map(async ({ webhook }) => ({
      webhook_id: webhook.id,
      account_id,
      message_id: await messageIdFor(change.identity, webhook.id),
      change_id: change.change_id,
      payload: { entity_id, entity_type, action_type, ...(action_type === "delete" ? {} : { result }) },
      reason: "unprocessable" as const,
      attempts: 0,
      last_status: null,
      last_error: null,
      first_attempt_at: null,
      failed_at: failedAt,
    })),
  );
}

async function statementsFor(
  db: D1Database,
  queue: string,
  message: Message<unknown>,
): Promise<D1PreparedStatement[]> {
  const body = message.body;
  const at = new Date(message.timestamp).toISOString();
  if (isFailedMessage(body))
    return [recordFailure(db, failureOf(body.job, body.reason, body.attempts, body.failed_at))];
  const job = parseDeliveryMessage(body);
  if (job) return [recordFailure(db, failureOf(job, "unprocessable", job.attempt - 1, at))];
  const change = ChangeMessage.safeParse(body);
  if (change.success) return (await failuresOfChange(db, change.data, at)).map((f) => recordFailure(db, f));
  // A consumer's poison envelope names the queue the message came from; anything else arrived
  // here straight from a queue's own retries.
  const poison = isPoisonMessage(body) ? body : null;
  const raw = poison ? poison.raw : JSON.stringify(body);
  return [
    db
      .prepare("INSERT OR IGNORE INTO dead_letters (id, queue, raw, received_at) VALUES (?1, ?2, ?3, ?4)")
      .bind(`dl_${message.id}`, poison?.queue ?? queue, (raw ?? "").slice(0, 16 * 1024), at),
  ];
}

export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  try {
    const statements = (
      await Promise.all(batch.messages.map((m) => statementsFor(env.DB, batch.queue, m)))
    ).flat();
    if (statements.length > 0) await env.DB.batch(statements);
    for (const message of batch.messages) message.ack();
  } catch (error) {
    retryAllOnSystemError(batch.queue, batch.messages, error);
  }
}
