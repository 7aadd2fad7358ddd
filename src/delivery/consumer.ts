// Deliveries-queue consumer: retries, guards and recovered deliveries, one attempt per message.
import { loadWebhooks } from "../webhooks/lookups";
import { consume } from "./consume";
import { DeliveryJob } from "./job";
import { persistOutcomes } from "./outcomes";
import { executeBatch } from "./slow-lane";

export function parseDeliveryMessage(body: unknown): DeliveryJob | null {
  if (typeof body !== "object" || body === null || (body as { type?: unknown }).type !== "delivery") {
    return null;
  }
  const parsed = DeliveryJob.safeParse((body as { job?: unknown }).job);
  return parsed.success ? parsed.data : null;
}

export function consumeDeliveries(
  batch: MessageBatch<unknown>,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  return consume(batch, env, parseDeliveryMessage, async (readable) => {
    const jobs = readable.map(({ item }) => item);
    const webhooks = await loadWebhooks(
      env.DB,
      jobs.map((job) => job.webhook_id),
    );
    const executed = await executeBatch(env, ctx, jobs, webhooks);
    const unpersisted = await persistOutcomes(env, executed);
    const again = new Set<number>();
    executed.forEach(({ outcome }, index) => {
      if (unpersisted.has(outcome.job)) again.add(index);
    });
    return again;
  });
}
