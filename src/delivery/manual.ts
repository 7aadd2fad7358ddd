// Requests an admin asks for: the test button and redeliveries. They go out at once — also to an
// inactive webhook, outside the order of its entity's changes and its pacing — and are logged
// like every request.
import { markRecovered } from "../failed/storage";
import { logError } from "../log";
import type { Payload } from "../messages/payload";
import type { LoggedRequest } from "../request-log/entry";
import type { LogEntry } from "../request-log/schemas";
import { webhookObject } from "../webhooks/object";
import type { WebhookRecord } from "../webhooks/storage";
import { attemptDelivery } from "./attempt";
import { targetOf } from "./targets";

export interface ManualRequest {
  kind: "test" | "redelivery";
  messageId: string;
  payload: Payload;
  /** The exact body to send again (a logged request's); default: the payload's. */
  body?: string;
  /** The change it sends, if it is one: its delivery then counts for the entity's order. */
  change?: { entity: string; seq: number; failedId?: string };
}

export async function sendManually(
  env: Env,
  webhook: WebhookRecord,
  request: ManualRequest,
): Promise<LogEntry> {
  const { kind, messageId, payload, body } = request;
  const what: LoggedRequest & { body?: string } = { kind, messageId, payload, body, attempt: 1 };
  const { entry } = await attemptDelivery(env, await targetOf(env, webhook, Date.now()), what);
  const delivered = entry.success && request.change ? request.change : undefined;
  try {
    await webhookObject(env, webhook.id).record(
      entry,
      delivered && { entity: delivered.entity, seq: delivered.seq },
    );
  } catch (error) {
    // The log is a debugging aid: failing to write it must not fail the request that was made.
    logError("request log write failed", error, { webhook_id: webhook.id });
  }
  if (delivered?.failedId) await markRecovered(env.DB, webhook.id, entry.message_id, entry.created_at).run();
  return entry;
}
