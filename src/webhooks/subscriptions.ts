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

/** Statements that rewrite a webhook's rows; they insert nothing if the webhook row does not exist. */
export function replaceSubscriptions(db: D1Database, webhook: Subscriber): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM webhook_subscriptions WHERE webhook_id = ?1").bind(webhook.id),
    db
      .prepare(
        `INSERT INTO webhook_subscriptions (account_id, trigger, event_id, webhook_id)
         SELECT ?1, p.value ->> '$[0]', p.value ->> '$[1]', ?2 FROM json_each(?3) p
         WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = ?2 AND account_id = ?1)`,
      )
      .bind(webhook.account_id, webhook.id, JSON.stringify(subscriptionPairs(webhook))),
  ];
}
