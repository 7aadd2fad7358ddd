// Which webhooks want a change. Pure: fan-out turns a change into subscription keys that D1
// looks up by index; `wants` states the same rule for one webhook.
import type { ChangeMessage, NoticeMessage } from "../messages/queue";
import type { SubscriptionKey } from "./lookups";
import { ALL_EVENTS } from "./storage";
import { type Trigger, triggerOf } from "./triggers";

type Change = ChangeMessage["change"];

/** The keys a change is looked up by: every-event webhooks, and webhooks of each event it names. */
export function subscriptionKeys(change: Change, index: number): SubscriptionKey[] {
  const trigger = triggerOf(change.entity_type, change.action_type);
  const events = [ALL_EVENTS, ...new Set(change.event_ids)];
  return events.map((event_id) => ({ change: index, account_id: change.account_id, trigger, event_id }));
}

/** A webhook gets a change of its account whose trigger it chose and, if it names events, one of them. */
export function wants(
  webhook: { account_id: string; triggers: readonly Trigger[]; event_ids: readonly string[] },
  change: Change,
): boolean {
  if (webhook.account_id !== change.account_id) return false;
  if (!webhook.triggers.includes(triggerOf(change.entity_type, change.action_type))) return false;
  return webhook.event_ids.length === 0 || webhook.event_ids.some((id) => change.event_ids.includes(id));
}

/**
 * The keys a queued change or notice is looked up by. A notice goes to the webhooks of its account
 * that chose its trigger, whatever events they name (it is about a webhook, not an event).
 */
export function subscriptionKeysOf(message: ChangeMessage | NoticeMessage, index: number): SubscriptionKey[] {
  if (message.type === "change") return subscriptionKeys(message.change, index);
  const trigger = `webhook.${message.action}` as const;
  return [{ change: index, account_id: message.account_id, trigger, event_id: ALL_EVENTS }];
}
