// Changes-queue consumer: finds every webhook that wants each change or operational notice (one
// D1 query for the whole batch), asks each webhook's object what may go now, and makes those first attempts right
// here, concurrently. What must wait (behind an earlier change of its entity, for its turn under
// max_per_second, or beyond this invocation's budget) the object keeps and sends later.

import type { DeliveryJob } from "../delivery/job";
import { afterFailure, StageError } from "../delivery/reports";
import { ATTEMPTS_PER_INVOCATION, DeliveryRun } from "../delivery/run";
import { logError } from "../log";
import { consume, type Verdict } from "../messages/consume";
import { changeIdOf, entityOf, messageIdFor, type Payload, payloadOf } from "../messages/payload";
import type { ChangeMessage, NoticeMessage, QueueMessage } from "../messages/queue";
import { findSubscribers } from "../webhooks/lookups";
import { subscriptionKeysOf } from "../webhooks/matching";
import { webhookObject } from "../webhooks/object";
import type { WebhookRecord } from "../webhooks/storage";

interface Work {
  webhook: WebhookRecord;
  jobs: DeliveryJob[];
  /** Which of the batch's messages these jobs come from. */
  messages: Set<number>;
}

async function workOf(messages: readonly Deliverable[], env: Env): Promise<Work[]> {
  const keys = messages.flatMap((message, index) => subscriptionKeysOf(message, index));
  const work = new Map<string, Work>();
  // One payload object per change, shared by its webhooks' jobs: its body is made once.
  const payloads = messages.map(payloadOf);
  for (const { change: index, webhook } of await findSubscribers(env.DB, keys)) {
    const message = messages[index] as Deliverable;
    // A webhook is never told about itself.
    if (message.type === "notice" && message.webhook_id === webhook.id) continue;
    const payload = payloads[index] as Payload;
    const entry = work.get(webhook.id) ?? { webhook, jobs: [], messages: new Set() };
    entry.jobs.push({
      webhook_id: webhook.id,
      account_id: webhook.account_id,
      change_id: changeIdOf(message),
      message_id: await messageIdFor(message.identity, webhook.id),
      entity: entityOf(payload),
      seq: message.seq,
      accepted_at: message.received_at,
      payload,
      attempt: 1,
      first_attempt_at: null,
    });
    entry.messages.add(index);
    work.set(webhook.id, entry);
  }
  return [...work.values()];
}

/** What the changes queue carries: changes, and operational notices about webhooks. */
type Deliverable = ChangeMessage | NoticeMessage;
const isDeliverable = (message: QueueMessage): message is Deliverable =>
  message.type === "change" || message.type === "notice";

export function consumeChanges(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  return consume(batch, env, isDeliverable, async (changes): Promise<Verdict[]> => {
    const work = await workOf(changes, env);
    const run = new DeliveryRun(env, ctx, ATTEMPTS_PER_INVOCATION);
    let budget = ATTEMPTS_PER_INVOCATION;
    const shares = work.map(({ jobs }) => {
      const share = Math.min(jobs.length, budget);
      budget -= share;
      return share;
    });
    const unsettled = new Set<number>();
    await Promise.all(
      work.map(async ({ webhook, jobs, messages }, i) => {
        const object = webhookObject(env, webhook.id);
        try {
          await run.deliver(webhook, (holder) => object.begin(holder, jobs, shares[i] as number));
        } catch (error) {
          // A change comes again when one of its webhooks did not take it: the others know it delivered.
          logError("a webhook's deliveries could not be started or settled; its changes come again", error, {
            webhook_id: webhook.id,
          });
          const stage = error instanceof StageError ? error.stage : "ask";
          if (afterFailure(stage, "change") === "retry message")
            for (const index of messages) unsettled.add(index);
        }
      }),
    );
    return changes.map((_, index) => (unsettled.has(index) ? "retry" : "ack"));
  });
}
