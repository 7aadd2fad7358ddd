// Webhook rows in D1: plain functions with inline SQL, every query scoped by account_id.
import { RETENTION_DAYS } from "../config";
import { storedAuth } from "./endpoint-auth";
import { toWebhookRecord, type WebhookRecord, type WebhookRow } from "./record";
import { replaceSubscriptions } from "./subscriptions";

export {
  toWebhookOut,
  toWebhookRecord,
  type WebhookRecord,
  type WebhookRow,
} from "./record";
export { ALL_EVENTS } from "./subscriptions";

/** Creates the webhook unless its account already has `maxPerAccount`; false then, and nothing is written. */
export async function insertWebhook(
  db: D1Database,
  record: WebhookRecord,
  maxPerAccount: number,
): Promise<boolean> {
  // One statement checks and inserts, so that concurrent creates cannot overshoot the limit.
  const [inserted] = await db.batch([
    db
      .prepare(
        `INSERT INTO webhooks (id, account_id, name, url, is_active, triggers, event_ids, secret, headers,
           header_names, max_per_second, consecutive_failures, created_at, updated_at, signature_scheme,
           auth, auth_secret)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0, ?12, ?12, ?14, ?15, ?16
         WHERE (SELECT COUNT(*) FROM webhooks WHERE account_id = ?2) < ?13`,
      )
      .bind(
        record.id,
        record.account_id,
        record.name,
        record.url,
        record.is_active ? 1 : 0,
        JSON.stringify(record.triggers),
        JSON.stringify(record.event_ids),
        record.secret_sealed,
        record.headers_sealed,
        JSON.stringify(Object.keys(record.headers)),
        record.max_per_second,
        record.created_at,
        maxPerAccount,
        record.signature_scheme,
        storedAuth(record.auth),
        record.auth_secret_sealed,
      ),
    ...replaceSubscriptions(db, record),
  ]);
  return (inserted?.meta.changes ?? 0) > 0;
}

/** How many failed deliveries of the webhook wait to be recovered. */
const PENDING_FAILURES = `(SELECT COUNT(*) FROM failed_deliveries AS f
  WHERE f.webhook_id = webhooks.id AND f.recovered_at IS NULL AND f.reason != 'superseded'
    AND f.failed_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-${RETENTION_DAYS} days')) AS failed_deliveries`;

export async function getWebhook(
  db: D1Database,
  accountId: string,
  id: string,
): Promise<WebhookRecord | null> {
  const row = await db
    .prepare(`SELECT *, ${PENDING_FAILURES} FROM webhooks WHERE account_id = ?1 AND id = ?2`)
    .bind(accountId, id)
    .first<WebhookRow>();
  return row ? toWebhookRecord(row) : null;
}

export async function listWebhooks(
  db: D1Database,
  accountId: string,
  page: { limit: number; after?: string },
): Promise<{ records: WebhookRecord[]; hasMore: boolean }> {
  const { results } = await db
    .prepare(
      `SELECT *, ${PENDING_FAILURES} FROM webhooks WHERE account_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3`,
    )
    .bind(accountId, page.after ?? "", page.limit + 1)
    .all<WebhookRow>();
  return { records: results.slice(0, page.limit).map(toWebhookRecord), hasMore: results.length > page.limit };
}

/** Which sealed credentials a change of a webhook replaced. */
export interface CredentialsChanged {
  headers: boolean;
  /** The signing key, by a change of scheme. */
  signingKey: boolean;
  auth: boolean;
}

/**
 * Writes a changed webhook back (all configurable fields), rewriting its subscriptions, if its
 * configuration is still the version `record` was read as (else null, and nothing is written):
 * two changes at once never undo each other. Counts the version up, and answers the record as
 * saved. Sealed credentials are written only when they changed: a stale copy must not undo the
 * cron's re-sealing.
 */
export async function saveWebhook(
  db: D1Database,
  record: WebhookRecord,
  changed: CredentialsChanged,
): Promise<WebhookRecord | null> {
  const version = record.config_version;
  const headers = db
    .prepare(
      "UPDATE webhooks SET headers = ?4, header_names = ?5 WHERE account_id = ?1 AND id = ?2 AND config_version = ?3",
    )
    .bind(
      record.account_id,
      record.id,
      version,
      record.headers_sealed,
      JSON.stringify(Object.keys(record.headers)),
    );
  const auth = db
    .prepare(
      "UPDATE webhooks SET auth = ?4, auth_secret = ?5 WHERE account_id = ?1 AND id = ?2 AND config_version = ?3",
    )
    .bind(record.account_id, record.id, version, storedAuth(record.auth), record.auth_secret_sealed);
  const results = await db.batch([
    db
      .prepare(
        `UPDATE webhooks SET name = ?3, url = ?4, is_active = ?5, triggers = ?6, event_ids = ?7,
           disabled_reason = ?8, failing_since = ?9, consecutive_failures = ?10, updated_at = ?11,
           max_per_second = ?12
         WHERE account_id = ?1 AND id = ?2 AND config_version = ?13`,
      )
      .bind(
        record.account_id,
        record.id,
        record.name,
        record.url,
        record.is_active ? 1 : 0,
        JSON.stringify(record.triggers),
        JSON.stringify(record.event_ids),
        record.disabled_reason,
        record.failing_since,
        record.consecutive_failures,
        record.updated_at,
        record.max_per_second,
        version,
      ),
    ...(changed.headers ? [headers] : []),
    ...(changed.auth ? [auth] : []),
    ...(changed.signingKey ? [signingKeysStatement(db, record)] : []),
    ...replaceSubscriptions(db, record, version),
    countUp(db, record),
  ]);
  return savedAs(record, results.at(-1));
}

/** Writes the signing keys, if the webhook is still the version `record` was read as. */
function signingKeysStatement(db: D1Database, record: WebhookRecord) {
  return db
    .prepare(
      `UPDATE webhooks SET secret = ?3, previous_secret = ?4, previous_secret_expires_at = ?5, updated_at = ?6,
         signature_scheme = ?7
       WHERE account_id = ?1 AND id = ?2 AND config_version = ?8`,
    )
    .bind(
      record.account_id,
      record.id,
      record.secret_sealed,
      record.previous_secret_sealed,
      record.previous_secret_expires_at,
      record.updated_at,
      record.signature_scheme,
      record.config_version,
    );
}

/**
 * Counts the webhook's version up if it is still the version `record` was read as: the last
 * statement of a save, so that every statement before it checks the same version.
 */
function countUp(db: D1Database, record: WebhookRecord) {
  return db
    .prepare(
      "UPDATE webhooks SET config_version = config_version + 1 WHERE account_id = ?1 AND id = ?2 AND config_version = ?3",
    )
    .bind(record.account_id, record.id, record.config_version);
}

/** The record as a save left it, if its last statement counted the version up (else null: nothing was written). */
const savedAs = (record: WebhookRecord, counted: D1Result | undefined): WebhookRecord | null =>
  (counted?.meta.changes ?? 0) > 0 ? { ...record, config_version: record.config_version + 1 } : null;

/**
 * Writes the signing keys of a rotation (the current one, the previous one and when it stops
 * signing), if the webhook is still the version `record` was read as (else null); counts the
 * version up, and answers the record as saved.
 */
export async function saveSecrets(db: D1Database, record: WebhookRecord): Promise<WebhookRecord | null> {
  const [, counted] = await db.batch([signingKeysStatement(db, record), countUp(db, record)]);
  return savedAs(record, counted);
}

/** Deletes a webhook with its subscriptions and failed deliveries; false when there was none of that account. */
export async function deleteWebhook(db: D1Database, accountId: string, id: string): Promise<boolean> {
  const results = await db.batch([
    db
      .prepare(
        `DELETE FROM webhook_subscriptions WHERE webhook_id = ?2
           AND EXISTS (SELECT 1 FROM webhooks WHERE id = ?2 AND account_id = ?1)`,
      )
      .bind(accountId, id),
    db
      .prepare(
        `DELETE FROM failed_deliveries WHERE webhook_id = ?2
           AND EXISTS (SELECT 1 FROM webhooks WHERE id = ?2 AND account_id = ?1)`,
      )
      .bind(accountId, id),
    db.prepare("DELETE FROM webhooks WHERE account_id = ?1 AND id = ?2").bind(accountId, id),
  ]);
  return (results[2]?.meta.changes ?? 0) > 0;
}
