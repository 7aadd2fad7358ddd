// Dead-letter consumer: what the platform gave up on, and what a consumer could not read. A change
// (or notice) whose fan-out never succeeded becomes a failed delivery at every webhook it would have reached;
// a wake-up is dropped (its webhook's object wakes the consumer again by itself); anything else is
// kept in dead_letters for an operator. One D1 batch per consumer batch; idempotent.
import { logBatchFailure, settle } from "../messages/consume";
import { changeIdOf, messageIdFor, payloadOf } from "../messages/payload";
import { type ChangeMessage, type NoticeMessage, POISON_KEPT_CHARS, readMessage } from "../messages/queue";
import { findSubscribers } from "../webhooks/lookups";
import { subscriptionKeysOf } from "../webhooks/matching";
import { type NewFailure, recordFailure } from "./storage";

/** A change whose fan-out never succeeded: every webhook it would have reached gets a failure. */
async function failuresOf(
  db: D1Database,
  message: ChangeMessage | NoticeMessage,
  failedAt: string,
): Promise<NewFailure[]> {
  const matches = await findSubscribers(db, subscriptionKeysOf(message, 0));
  const payload = payloadOf(message);
  const recipients = matches.filter(
    ({ webhook }) => message.type !== "notice" || webhook.id !== message.webhook_id,
  );
  return Promise.all(
    recipients.map(async ({ webhook }) => ({
      webhook_id: webhook.id,
      account_id: webhook.account_id,
      message_id: await messageIdFor(message.identity, webhook.id),
      change_id: changeIdOf(message),
      seq: message.seq,
      payload,
      reason: "unprocessable" as const,
      attempts: 0,
      last_status: null,
      last_error: null,
      last_response: null,
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
  const at = new Date(message.timestamp).toISOString();
  const body = readMessage(message.body);
  if (body?.type === "change" || body?.type === "notice") {
    return (await failuresOf(db, body, at)).map((failure) => recordFailure(db, failure));
  }
  if (body?.type === "wake") return [];
  // A consumer's poison envelope names the queue the message came from; anything else arrived
  // here straight from a queue's own retries.
  const raw = body?.type === "poison" ? body.raw : JSON.stringify(message.body);
  return [
    db
      .prepare("INSERT OR IGNORE INTO dead_letters (id, queue, raw, received_at) VALUES (?1, ?2, ?3, ?4)")
      .bind(
        `dl_${message.id}`,
        body?.type === "poison" ? body.queue : queue,
        (raw ?? "").slice(0, POISON_KEPT_CHARS),
        at,
      ),
  ];
}

export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  try {
    const statements = (
      await Promise.all(batch.messages.map((m) => statementsFor(env.DB, batch.queue, m)))
    ).flat();
    if (statements.length > 0) await env.DB.batch(statements);
    for (const message of batch.messages) settle(message, "ack");
  } catch (error) {
    logBatchFailure(batch.queue, error);
    for (const message of batch.messages) settle(message, "retry");
  }
}
