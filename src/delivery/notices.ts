// Operational notifications: when a webhook's health update raised one (failing for an hour and
// again each day, disabled by the service, recovered after that), the account's other webhooks
// that subscribed to webhook.failing / .disabled / .recovered are told, through the changes queue
// like every change: signed, retried and logged as any delivery.
import { newId } from "../ids";
import { logError } from "../log";
import type { NoticeMessage } from "../messages/queue";
import { sendAll } from "../messages/send";
import { acceptanceSeq } from "../messages/sequence";
import { getWebhook, toWebhookOut, type WebhookRecord } from "../webhooks/storage";
import type { RaisedNotice } from "./health";

/** Queues a notice for each raised one; `known` names each webhook's account. */
export async function sendNotices(
  env: Env,
  raised: readonly RaisedNotice[],
  known: ReadonlyMap<string, Pick<WebhookRecord, "account_id">>,
): Promise<void> {
  if (raised.length === 0) return;
  try {
    const now = Date.now();
    const first = acceptanceSeq(raised.length, now);
    const messages = (
      await Promise.all(
        raised.map(async ({ webhookId, action }, i) => {
          const accountId = known.get(webhookId)?.account_id;
          // Read again: the notice tells the webhook as it is now (failed_deliveries included).
          const webhook = accountId ? await getWebhook(env.DB, accountId, webhookId) : null;
          if (!webhook) return [];
          const body: NoticeMessage = {
            type: "notice",
            identity: newId("ntc"),
            seq: first + i,
            received_at: new Date(now).toISOString(),
            account_id: webhook.account_id,
            webhook_id: webhook.id,
            action,
            webhook: toWebhookOut(webhook),
          };
          return [{ body }];
        }),
      )
    ).flat();
    const unsent = await sendAll(env.CHANGES, messages);
    if (unsent.length > 0) throw new Error(`${unsent.length} notices could not be queued`);
  } catch (error) {
    logError("operational notices not sent", error);
  }
}
