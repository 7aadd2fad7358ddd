// Sending one delivery again on an admin's request: the same body and webhook-id, a fresh
// timestamp and signature, also to an inactive webhook. If it lands, its failed delivery (if
// one was kept) counts as recovered.
import { markRecovered } from "../failed/storage";
import type { LogEntry } from "../request-log/schemas";
import type { WebhookRecord } from "../webhooks/storage";
import { attemptDelivery } from "./attempt";
import type { Payload } from "./job";
import { targetOf } from "./targets";

export async function redeliver(
  env: Env,
  webhook: WebhookRecord,
  what: { messageId: string; payload: Payload; body?: string },
): Promise<LogEntry> {
  const { entry } = await attemptDelivery(env, await targetOf(env, webhook, Date.now()), {
    kind: "redelivery",
    attempt: 1,
    ...what,
  });
  if (entry.success) await markRecovered(env.DB, webhook.id, entry.message_id, entry.created_at).run();
  return entry;
}
