// What delivery needs from webhook storage: the webhooks of a batch by id, and the webhooks
// subscribed to a batch of changes — each in one query, across accounts.
import { toWebhookRecord, type WebhookRecord, type WebhookRow } from "./storage";
import type { Trigger } from "./triggers";

/** The webhooks with these ids (any account): what a delivery batch needs, in one query. */
export async function loadWebhooks(
  db: D1Database,
  ids: readonly string[],
): Promise<Map<string, WebhookRecord>> {
  if (ids.length === 0) return new Map();
  const { results } = await db
    .prepare("SELECT * FROM webhooks WHERE id IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify([...new Set(ids)]))
    .all<WebhookRow>();
  return new Map(results.map((row) => [row.id, toWebhookRecord(row)]));
}

/** One (account, trigger, event) a change is looked up by; event '' matches webhooks of every event. */
export interface SubscriptionKey {
  change: number;
  account_id: string;
  trigger: Trigger;
  event_id: string;
}

/** The fan-out query: its one parameter is a JSON list of [change, account_id, trigger, event_id]. */
export const SUBSCRIBERS_SQL = `SELECT k.value ->> '$[0]' AS change_index, w.*
       FROM json_each(?1) AS k
       JOIN webhook_subscriptions AS s
         ON s.account_id = k.value ->> '$[1]' AND s.trigger = k.value ->> '$[2]' AND s.event_id = k.value ->> '$[3]'
       JOIN webhooks AS w ON w.id = s.webhook_id
       WHERE w.is_active = 1 OR w.disabled_reason IS NOT NULL
       GROUP BY change_index, w.id`;

export const subscriptionKeysParam = (keys: readonly SubscriptionKey[]) =>
  JSON.stringify(keys.map((key) => [key.change, key.account_id, key.trigger, key.event_id]));

/**
 * For many changes at once, in one query: the webhooks subscribed to them, active or disabled
 * by the service (whose changes are kept as failed deliveries), not those switched off by hand.
 */
export async function findSubscribers(
  db: D1Database,
  keys: readonly SubscriptionKey[],
): Promise<{ change: number; webhook: WebhookRecord }[]> {
  if (keys.length === 0) return [];
  const { results } = await db
    .prepare(SUBSCRIBERS_SQL)
    .bind(subscriptionKeysParam(keys))
    .all<WebhookRow & { change_index: number }>();
  return results.map((row) => ({ change: row.change_index, webhook: toWebhookRecord(row) }));
}
