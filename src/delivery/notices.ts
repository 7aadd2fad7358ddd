// Operational notifications: when a webhook's health update raised one (failing for an hour and
// again each day, disabled by the service, recovered after that), the account's other webhooks
// that subscribed to webhook.failing / .disabled / .recovered are told, through the changes queue
// like every change: signed, retried and logged as any delivery. D1 has recorded a notice once it
// is raised, so one that cannot be queued is not dropped: the webhook's object keeps it and tries
// again (./webhook-object.ts), as the same message in the same place of its webhook's order.
import { newId } from "../ids";
import { logError } from "../log";
import type { NoticeMessage } from "../messages/queue";
import { sendAll } from "../messages/send";
import { acceptanceSeq } from "../messages/sequence";
import { getWebhook, toWebhookOut, type WebhookRecord } from "../webhooks/storage";
import type { RaisedNotice } from "./health";

/** A raised notice with what makes it one message for good: its identity, and its seq among its webhook's notices. */
export interface PendingNotice extends RaisedNotice {
  accountId: string;
  identity: string;
  seq: number;
  receivedAt: string;
}

/** The notices raised now, each given its identity and seq; `known` names each webhook's account. */
export function pendingNotices(
  raised: readonly RaisedNotice[],
  known: ReadonlyMap<string, Pick<WebhookRecord, "account_id">>,
  nowMs: number,
): PendingNotice[] {
  const first = acceptanceSeq(raised.length, nowMs);
  const receivedAt = new Date(nowMs).toISOString();
  return raised.flatMap((notice, i) => {
    const accountId = known.get(notice.webhookId)?.account_id;
    return accountId ? [{ ...notice, accountId, identity: newId("ntc"), seq: first + i, receivedAt }] : [];
  });
}

/** Queues the notices; answers those that could not be queued (D1 or the queue failed). */
export async function queueNotices(env: Env, notices: readonly PendingNotice[]): Promise<PendingNotice[]> {
  if (notices.length === 0) return [];
  try {
    const messages = (
      await Promise.all(
        notices.map(async (notice) => {
          // Read again: the notice tells the webhook as it is now (failed_deliveries included).
          const webhook = await getWebhook(env.DB, notice.accountId, notice.webhookId);
          if (!webhook) return []; // deleted since: nobody is left to hear of it
          const body: NoticeMessage = {
            type: "notice",
            identity: notice.identity,
            seq: notice.seq,
            received_at: notice.receivedAt,
            account_id: webhook.account_id,
            webhook_id: webhook.id,
            action: notice.action,
            webhook: toWebhookOut(webhook),
          };
          return [{ body, notice }];
        }),
      )
    ).flat();
    return (await sendAll(env.CHANGES, messages)).map(({ notice }) => notice);
  } catch (error) {
    logError("operational notices not queued; their webhooks' objects try again", error);
    return [...notices];
  }
}
