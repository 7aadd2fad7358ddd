// Failed deliveries in D1: one row per (webhook, webhook-id), kept 30 days.
import type { DeliveryJob, LastResponse } from "../delivery/job";
import { newId } from "../ids";
import { entityOf, type Payload, payloadBody, sentPayload } from "../messages/payload";
import type { FailedDeliveryOut, FailReason } from "./schemas";

interface FailedRecord {
  id: string;
  webhook_id: string;
  account_id: string;
  message_id: string;
  change_id: string;
  /** The change's place in the order of acceptance; null for deliveries recorded before it was kept. */
  seq: number | null;
  payload: Payload;
  reason: FailReason;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  /** The receiver's last answer, its body cut to 1 KiB (null: no answer, e.g. a timeout). */
  last_response: LastResponse | null;
  first_attempt_at: string | null;
  failed_at: string;
  recovery_queued_at: string | null;
  recovered_at: string | null;
}

type FailedRow = Omit<FailedRecord, "payload" | "last_response"> & {
  payload: string;
  last_response: string | null;
};

const toFailedRecord = (row: FailedRow): FailedRecord => ({
  ...row,
  payload: JSON.parse(row.payload) as Payload,
  last_response: row.last_response ? (JSON.parse(row.last_response) as LastResponse) : null,
});

export function toFailedOut(record: FailedRecord): FailedDeliveryOut {
  const { webhook_id, account_id, seq, payload, ...rest } = record;
  const { action_type, entity_type, entity_id } = payload;
  return {
    ...rest,
    action_type: action_type as FailedDeliveryOut["action_type"],
    entity_type,
    entity_id,
    body: payloadBody(payload),
    payload: sentPayload(payload) as FailedDeliveryOut["payload"],
  };
}

/** The job that sends a failed delivery again (recover, redeliver): its webhook-id and its place in the order. */
export const resendJobOf = (failed: FailedRecord): DeliveryJob => ({
  webhook_id: failed.webhook_id,
  account_id: failed.account_id,
  change_id: failed.change_id,
  message_id: failed.message_id,
  entity: entityOf(failed.payload),
  seq: failed.seq ?? 0,
  accepted_at: failed.first_attempt_at ?? failed.failed_at,
  payload: failed.payload,
  attempt: 1,
  first_attempt_at: null,
  failed_id: failed.id,
});

export type NewFailure = Omit<FailedRecord, "id" | "recovery_queued_at" | "recovered_at">;

/**
 * Records a failure once: the same dead letter seen again changes nothing; a later failure of
 * the same delivery (after a recover) updates the row. Deliveries of deleted webhooks are not kept.
 */
export function recordFailure(db: D1Database, failure: NewFailure): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO failed_deliveries (id, webhook_id, account_id, message_id, change_id, payload, reason, attempts,
         last_status, last_error, first_attempt_at, failed_at, seq, last_response)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14 WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = ?2)
       ON CONFLICT (webhook_id, message_id) DO UPDATE SET
         reason = excluded.reason, attempts = excluded.attempts, last_status = excluded.last_status,
         last_error = excluded.last_error, last_response = excluded.last_response,
         failed_at = excluded.failed_at, recovered_at = NULL
       WHERE excluded.failed_at > failed_deliveries.failed_at`,
    )
    .bind(
      newId("fd"),
      failure.webhook_id,
      failure.account_id,
      failure.message_id,
      failure.change_id,
      JSON.stringify(failure.payload),
      failure.reason,
      failure.attempts,
      failure.last_status,
      failure.last_error,
      failure.first_attempt_at,
      failure.failed_at,
      failure.seq,
      failure.last_response ? JSON.stringify(failure.last_response) : null,
    );
}

export function markRecovered(
  db: D1Database,
  webhookId: string,
  messageId: string,
  at: string,
): D1PreparedStatement {
  return db
    .prepare(
      "UPDATE failed_deliveries SET recovered_at = ?3 WHERE webhook_id = ?1 AND message_id = ?2 AND recovered_at IS NULL",
    )
    .bind(webhookId, messageId, at);
}

const encodeCursor = (record: FailedRecord) => btoa(`${record.failed_at}|${record.id}`).replace(/=+$/, "");

export function decodeFailedCursor(cursor: string): { failedAt: string; id: string } | null {
  try {
    const [failedAt, id] = atob(cursor).split("|");
    return failedAt && id?.startsWith("fd_") ? { failedAt, id } : null;
  } catch {
    return null;
  }
}

/** A page of a webhook's failed deliveries since a time, newest first. */
export async function listFailed(
  db: D1Database,
  webhookId: string,
  page: { since: string; limit: number; before?: { failedAt: string; id: string } },
): Promise<{ records: FailedRecord[]; nextCursor: string | null }> {
  const { results } = await db
    .prepare(
      `SELECT * FROM failed_deliveries WHERE webhook_id = ?1 AND failed_at >= ?2
         AND (failed_at < ?3 OR (failed_at = ?3 AND id < ?4))
       ORDER BY failed_at DESC, id DESC LIMIT ?5`,
    )
    .bind(webhookId, page.since, page.before?.failedAt ?? "~", page.before?.id ?? "~", page.limit + 1)
    .all<FailedRow>();
  const records = results.slice(0, page.limit).map(toFailedRecord);
  const last = records.at(-1);
  return { records, nextCursor: results.length > page.limit && last ? encodeCursor(last) : null };
}

export async function getFailed(db: D1Database, webhookId: string, id: string): Promise<FailedRecord | null> {
  const row = await db
    .prepare("SELECT * FROM failed_deliveries WHERE webhook_id = ?1 AND id = ?2")
    .bind(webhookId, id)
    .first<FailedRow>();
  return row ? toFailedRecord(row) : null;
}

/** How long a recovered delivery may be on its way (its whole retry schedule) before recover sends it again. */
const RECOVERY_IN_FLIGHT_MS = 4 * 24 * 3600 * 1000;

/** The webhook's failed deliveries since a time that have not been delivered since. */
export async function unrecoveredSince(
  db: D1Database,
  webhookId: string,
  since: string,
  nowMs = Date.now(),
): Promise<FailedRecord[]> {
  // One queued by an earlier recover and not failed again since is still on its way (its retry
  // schedule lasts about three days): recovering it again would only send duplicates.
  const inFlightAfter = new Date(nowMs - RECOVERY_IN_FLIGHT_MS).toISOString();
  const { results } = await db
    .prepare(
      `SELECT * FROM failed_deliveries WHERE webhook_id = ?1 AND failed_at >= ?2 AND recovered_at IS NULL
         AND reason != 'superseded'
         AND (recovery_queued_at IS NULL OR recovery_queued_at < failed_at OR recovery_queued_at < ?3)
       ORDER BY failed_at`,
    )
    .bind(webhookId, since, inFlightAfter)
    .all<FailedRow>();
  return results.map(toFailedRecord);
}

export async function markRecoveryQueued(db: D1Database, ids: readonly string[], at: string): Promise<void> {
  await db
    .prepare(
      "UPDATE failed_deliveries SET recovery_queued_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))",
    )
    .bind(JSON.stringify(ids), at)
    .run();
}

/** Records that these failed deliveries will never be sent: a newer change of their entity was delivered. */
export function markSuperseded(db: D1Database, webhookId: string, ids: readonly string[]): Promise<D1Result> {
  return db
    .prepare(
      "UPDATE failed_deliveries SET reason = 'superseded' WHERE webhook_id = ?1 AND id IN (SELECT value FROM json_each(?2))",
    )
    .bind(webhookId, JSON.stringify(ids))
    .run();
}

/** Drops failed deliveries and unreadable messages older than the retention period. */
export async function purgeFailed(db: D1Database, before: string): Promise<number> {
  const [failed, dead] = await db.batch([
    db.prepare("DELETE FROM failed_deliveries WHERE failed_at < ?1").bind(before),
    db.prepare("DELETE FROM dead_letters WHERE received_at < ?1").bind(before),
  ]);
  return (failed?.meta.changes ?? 0) + (dead?.meta.changes ?? 0);
}
