// Who wants what: the rows of webhook_subscriptions that fan-out looks webhooks up by.
import { isOperationalTrigger, type Trigger } from "./triggers";

// Fan-out finds webhooks by (account, trigger, event); '' stands for "every event".
export const ALL_EVENTS = "";

interface Subscriber {
  id: string;
  account_id: string;
  triggers: readonly Trigger[];
  event_ids: readonly string[];
}

/**
 * The (trigger, event) rows of a webhook. Entity triggers are stored per chosen event (or ''
 * for all of them); operational triggers are news about webhooks, not about events, so they
 * are stored with '' alone and match whatever events the webhook chose. Pure.
 */
export function subscriptionPairs(webhook: Pick<Subscriber, "triggers" | "event_ids">): [Trigger, string][] {
  const events = webhook.event_ids.length > 0 ? webhook.event_ids : [ALL_EVENTS];
  return webhook.triggers.flatMap((trigger): [Trigger, string][] =>
    isOperationalTrigger(trigger) ? [[trigger, ALL_EVENTS]] : events.map((event) => [trigger, event]),
  );
}

/**
 * Statements that rewrite a webhook's rows; they change nothing if the webhook row does not exist
 * (or, given `version`, if the webhook's config_version is not that: its save did not happen).
 */
export function replaceSubscriptions(
  db: D1Database,
  webhook: Subscriber,
  version?: number,
): D1PreparedStatement[] {
  const saved = `EXISTS (SELECT 1 FROM webhooks WHERE id = ?2 AND account_id = ?1
    AND (?3 IS NULL OR config_version = ?3))`;
  return [
    db
      .prepare(`DELETE FROM webhook_subscriptions WHERE webhook_id = ?2 AND ${saved}`)
      .bind(webhook.account_id, webhook.id, version ?? null),
    db
      .prepare(
        `INSERT INTO webhook_subscriptions (account_id, trigger, event_id, webhook_id)
         SELECT ?1, p.value ->> '$[0]', p.value ->> '$[1]', ?2 FROM json_each(?4) p WHERE ${saved}`,
      )
      .bind(webhook.account_id, webhook.id, version ?? null, JSON.stringify(subscriptionPairs(webhook))),
  ];
}
