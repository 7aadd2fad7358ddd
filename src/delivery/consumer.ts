// Deliveries-queue consumer: a webhook's object woke it because deliveries wait there and are due
// (retries, changes held behind an earlier one, paced or handed-off ones, recovered ones). It
// claims them, makes the attempts, and reports back; the object keeps anything not reported and
// wakes it again.
import { logError } from "../log";
import { consume, type Verdict } from "../messages/consume";
import type { QueueMessage, WakeMessage } from "../messages/queue";
import { loadWebhooks } from "../webhooks/lookups";
import { webhookObject } from "../webhooks/object";
import { stateOf } from "./object-api";
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
    const unclaimed = new Set<string>();
    await Promise.all(
      ids.map(async (id) => {
        const webhook = webhooks.get(id);
        const object = webhookObject(env, id);
        let jobs: Awaited<ReturnType<typeof object.claim>>;
        try {
          // A deleted webhook's object is emptied (its deletion normally did that already).
          if (!webhook) return await object.clear();
          jobs = await object.claim(stateOf(webhook), share);
        } catch (error) {
          logError("claiming due deliveries failed; the wake-up comes again", error, { webhook_id: id });
          unclaimed.add(id);
          return;
        }
        // Whatever is not reported back, the object makes again once its lease ends.
        await run
          .deliver(webhook, jobs)
          .catch((error) => logError("outcomes not stored", error, { webhook_id: id }));
      }),
    );
    await run.writeHealth();
    return wakes.map((wake) => (unclaimed.has(wake.webhook_id) ? "retry" : "ack"));
  });
}
