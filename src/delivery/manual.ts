// Requests an admin asks for: the test button and redeliveries. They go out at once — also to an
// inactive webhook, outside its pacing — but like every attempt only with the webhook's current
// configuration, and are logged like every request. A failed delivery sent again is the one
// exception to "outside the order": it goes only if its turn has not passed, counts for its
// entity's order, and is recovered once its receiver answers 2xx.
import { logError } from "../log";
import type { Payload } from "../messages/payload";
import type { LoggedRequest } from "../request-log/entry";
import type { LogEntry } from "../request-log/schemas";
import { webhookObject } from "../webhooks/object";
import { getWebhook, type WebhookRecord } from "../webhooks/storage";
import { attemptDelivery } from "./attempt";
import { NotSent } from "./gate";
import { START_WITHIN_MS } from "./grants";
import type { DeliveryJob } from "./job";
import { holderOf } from "./object-api";
import { targetOf } from "./targets";

interface ManualRequest {
  kind: "test" | "redelivery";
  messageId: string;
  payload: Payload;
  /** The exact body to send again (a logged request's); default: the payload's. */
  body?: string;
  /** A failed delivery sent again. */
  resend?: DeliveryJob;
}

/** What became of a manual request: sent (its log entry), or why it was not. */
export type ManualResult =
  | { kind: "sent"; entry: LogEntry }
  /** A failed delivery whose turn has passed (a newer change of its entity was delivered, is out or waits). */
  | { kind: "superseded" }
  /** A failed delivery that is on its way already, or behind an earlier change of its entity that is out. */
  | { kind: "busy" }
  | { kind: "gone" };

/** How often a request asks again when the webhook changed while it asked. */
const ASKS = 3;

export async function sendManually(
  env: Env,
  webhook: WebhookRecord,
  request: ManualRequest,
): Promise<ManualResult> {
  const object = webhookObject(env, webhook.id);
  const { kind, messageId, payload, body, resend } = request;
  const what: LoggedRequest & { body?: string } = { kind, messageId, payload, body, attempt: 1 };
  let current = webhook;
  for (let asked = 1; ; asked++) {
    const askedAt = Date.now();
    const answer = await object.manual(holderOf(current), resend);
    if (answer.kind === "stale") {
      if (asked >= ASKS)
        throw new Error(`webhook ${webhook.id} changed ${ASKS} times while a request asked to go`);
      const fresh = await getWebhook(env.DB, webhook.account_id, webhook.id);
      if (!fresh) return { kind: "gone" };
      current = fresh;
      continue;
    }
    if (answer.kind !== "go") return { kind: answer.kind };
    let entry: LogEntry | null = null;
    try {
      const target = await targetOf(env, current, Date.now());
      const clock = { startBy: askedAt + START_WITHIN_MS };
      entry = (await attemptDelivery(env, target, what, clock, answer.auth)).entry;
    } catch (error) {
      if (!(error instanceof NotSent) || asked >= ASKS) throw error;
    } finally {
      // The log is a debugging aid: failing to write it must not fail the request that was made.
      await object.manualDone(answer.lease, entry, resend).catch((error) => {
        logError("request log write failed", error, { webhook_id: webhook.id });
      });
    }
    if (entry) return { kind: "sent", entry };
  }
}
