// Deliveries-queue consumer: retries (and recovered deliveries), one attempt per message.
import { loadWebhooks } from "../webhooks/storage";
import { executeJobs } from "./execute";
import { DeliveryJob } from "./job";
import { persistOutcomes } from "./outcomes";
import { setAsidePoison } from "./poison";

/** How long the queue waits before offering a message again after a failure on our side. */
export const SYSTEM_RETRY_DELAY_S = 10;

export function parseDeliveryMessage(body: unknown): DeliveryJob | null {
  if (typeof body !== "object" || body === null || (body as { type?: unknown }).type !== "delivery")
    return null;
  const parsed = DeliveryJob.safeParse((body as { job?: unknown }).job);
  return parsed.success ? parsed.data : null;
}

export async function consumeDeliveries(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const readable: { message: Message<unknown>; job: DeliveryJob }[] = [];
  const unreadable: Message<unknown>[] = [];
  for (const message of batch.messages) {
    const job = parseDeliveryMessage(message.body);
    if (job) readable.push({ message, job });
    else unreadable.push(message);
  }
  await setAsidePoison(env, batch.queue, unreadable);
  if (readable.length === 0) return;

  try {
    const webhooks = await loadWebhooks(
      env.DB,
      readable.map(({ job }) => job.webhook_id),
    );
    const executed = await executeJobs(
      env,
      readable.map(({ job }) => job),
      webhooks,
    );
    const unpersisted = await persistOutcomes(env, executed);
    readable.forEach(({ message }, index) => {
      const job = executed[index]?.outcome.job;
      if (job && unpersisted.has(job)) message.retry({ delaySeconds: SYSTEM_RETRY_DELAY_S });
      else message.ack();
    });
  } catch (error) {
    retryAllOnSystemError(
      batch.queue,
      readable.map(({ message }) => message),
      error,
    );
  }
}

/** Something on our side failed for the whole batch (D1 unreachable): every message comes again. */
export function retryAllOnSystemError(
  queue: string,
  messages: readonly Message<unknown>[],
  error: unknown,
): void {
  console.error(
    JSON.stringify({
      level: "error",
      msg: "consumer batch failed; retrying",
      queue,
      error: String(error instanceof Error ? error.stack : error),
    }),
  );
  for (const message of messages) message.retry({ delaySeconds: SYSTEM_RETRY_DELAY_S });
}
