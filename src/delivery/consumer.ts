// Deliveries-queue consumer: a webhook's object woke it because deliveries wait there and are due
// (retries, changes held behind an earlier one, paced or handed-off ones, recovered ones). It
// reads the webhooks afresh (one D1 query), claims what is due, makes the attempts, and reports
// back; the object keeps anything not reported and wakes it again.
import { logError } from "../log";
import { consume, type Verdict } from "../messages/consume";
import type { QueueMessage, WakeMessage } from "../messages/queue";
import { loadWebhooks } from "../webhooks/lookups";
import { webhookObject } from "../webhooks/object";
import { afterFailure, StageError } from "./reports";
import { ATTEMPTS_PER_INVOCATION, DeliveryRun } from "./run";

const isWake = (message: QueueMessage): message is WakeMessage => message.type === "wake";

export function consumeDeliveries(
  batch: MessageBatch<unknown>,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  return consume(batch, env, isWake, async (wakes): Promise<Verdict[]> => {
    const ids = [...new Set(wakes.map((wake) => wake.webhook_id))];
    const webhooks = await loadWebhooks(env.DB, ids);
    const run = new DeliveryRun(env, ctx, ATTEMPTS_PER_INVOCATION);
    const share = Math.max(10, Math.floor(ATTEMPTS_PER_INVOCATION / ids.length));
    const again = new Set<string>();
    await Promise.all(
      ids.map(async (id) => {
        const webhook = webhooks.get(id);
        const object = webhookObject(env, id);
        try {
          // A deleted webhook's object is emptied (its deletion normally did that already).
          if (!webhook) return await object.clear();
          await run.deliver(webhook, (holder) => object.claim(holder, share));
        } catch (error) {
          logError("due deliveries not claimed or not reported; the wake-up comes again", error, {
            webhook_id: id,
          });
          const stage = error instanceof StageError ? error.stage : "ask";
          if (afterFailure(stage, "wake") === "retry message") again.add(id);
        }
      }),
    );
    return wakes.map((wake) => (again.has(wake.webhook_id) ? "retry" : "ack"));
  });
}
