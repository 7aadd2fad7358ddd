// Webhook rows in D1: plain functions with inline SQL, every query scoped by account_id.

import type { WebhookOut } from "./schemas";
import type { Trigger } from "./triggers";

/** A webhook as stored, secrets still sealed. */
export interface WebhookRecord extends WebhookOut {
  account_id: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: string | null;
}

export interface WebhookRow {
  id: string;
  account_id: string;
  name: string;
  url: string;
  is_active: number;
  triggers: string;
  event_ids: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  disabled_reason: "gone" | "failing" | null;
  last_delivery_at: string | null;
  last_status: number | null;
  consecutive_failures: number;
  failing_since: string | null;
  created_at: string;
  updated_at: string;
  failed_deliveries?: number;
}

export function toWebhookRecord(row: WebhookRow): WebhookRecord {
  return {
    id: row.id,
    account_id: row.account_id,
    name: row.name,
    url: row.url,
    is_active: row.is_active === 1,
    triggers: JSON.parse(row.triggers) as Trigger[],
    event_ids: JSON.parse(row.event_ids) as string[],
    created_at: row.created_at,
    updated_at: row.updated_at,
    disabled_reason: row.disabled_reason,
    last_delivery_at: row.last_delivery_at,
    last_status: row.last_status,
    consecutive_failures: row.consecutive_failures,
    failing_since: row.failing_since,
    failed_deliveries: row.failed_deliveries ?? 0,
    secret_sealed: row.secret,
    previous_secret_sealed: row.previous_secret,
    previous_secret_expires_at: row.previous_secret_expires_at,
  };
}

/** The public view: everything but the account and the secrets. */
export function toWebhookOut(record: WebhookRecord): WebhookOut {
  const { account_id, secret_sealed, previous_secret_sealed, previous_secret_expires_at, ...out } = record;
  return out;
}

// Fan-out finds webhooks by (account, trigger, event); '' stands for "every event".
export const ALL_EVENTS = "";

function replaceSubscriptions(
  db: D1Database,
  webhook: Pick<WebhookRecord, "id" | "account_id" | "triggers" | "event_ids">,
) {
  const events = webhook.event_ids.length > 0 ? webhook.event_ids : [ALL_EVENTS];
  return [
    db.prepare("DELETE FROM webhook_subscriptions WHERE webhook_id = ?1").bind(webhook.id),
    db
      .prepare(
        `INSERT INTO webhook_subscriptions (account_id, trigger, event_id, webhook_id)
         SELECT ?1, t.value, e.value, ?2 FROM json_each(?3) t, json_each(?4) e`,
      )
      .bind(webhook.account_id, webhook.id, JSON.stringify(webhook.triggers), JSON.stringify(events)),
  ];
}

export async function insertWebhook(db: D1Database, record: WebhookRecord): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO webhooks (id, account_id, name, url, is_active, triggers, event_ids, secret,
           consecutive_failures, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?9)`,
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
        record.created_at,
      ),
    ...replaceSubscriptions(db, record),
  ]);
}

/** How many failed deliveries of the webhook wait to be recovered. */
const PENDING_FAILURES = `(SELECT COUNT(*) FROM failed_deliveries AS f
  WHERE f.webhook_id = webhooks.id AND f.recovered_at IS NULL AND f.reason != 'superseded'
    AND f.failed_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-30 days')) AS failed_deliveries`;

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

/** Writes a changed webhook back (all configurable fields), rewriting its subscriptions. */
export async function saveWebhook(db: D1Database, record: WebhookRecord): Promise<void> {
  await db.batch([
    db
      .prepare(
        `UPDATE webhooks SET name = ?3, url = ?4, is_active = ?5, triggers = ?6, event_ids = ?7,
           disabled_reason = ?8, failing_since = ?9, consecutive_failures = ?10, updated_at = ?11
         WHERE account_id = ?1 AND id = ?2`,
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
      ),
    ...replaceSubscriptions(db, record),
  ]);
}

export async function saveSecrets(db: D1Database, record: WebhookRecord): Promise<void> {
  await db
    .prepare(
      `UPDATE webhooks SET secret = ?3, previous_secret = ?4, previous_secret_expires_at = ?5, updated_at = ?6
       WHERE account_id = ?1 AND id = ?2`,
    )
    .bind(
      record.account_id,
      record.id,
      record.secret_sealed,
      record.previous_secret_sealed,
      record.previous_secret_expires_at,
      record.updated_at,
    )
    .run();
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
