// Changes-queue consumer: finds every webhook that wants each change (one D1 query for the
// whole batch) and makes the first attempts right here, concurrently. Deliveries beyond this
// batch's share, and every retry, travel on the deliveries queue.
import { retryAllOnSystemError, SYSTEM_RETRY_DELAY_S } from "../delivery/consumer";
import { type Executed, executeJobs } from "../delivery/execute";
import { type DeliveryJob, messageIdFor } from "../delivery/job";
import { persistOutcomes } from "../delivery/outcomes";
import { setAsidePoison } from "../delivery/poison";
import { findSubscribers, type WebhookRecord } from "../webhooks/storage";
import { subscriptionKeys } from "./matching";
import { ChangeMessage } from "./schemas";

/** First attempts made inside one fan-out invocation; the rest are queued (subrequest limits). */
export const DIRECT_ATTEMPTS_PER_BATCH = 100;

interface ReadableChange {
  message: Message<unknown>;
  change: ChangeMessage;
}

async function jobsFor(changes: readonly ReadableChange[], env: Env) {
  const keys = changes.flatMap(({ change }, index) => subscriptionKeys(change.change, index));
  const matches = await findSubscribers(env.DB, keys);
  const webhooks = new Map<string, WebhookRecord>(matches.map(({ webhook }) => [webhook.id, webhook]));
  const jobs = await Promise.all(
    matches.map(async ({ change: index, webhook }): Promise<{ index: number; job: DeliveryJob }> => {
      const { change, change_id } = (changes[index] as ReadableChange).change;
      const { account_id, entity_type, entity_id, action_type, result } = change;
      return {
        index,
        job: {
          webhook_id: webhook.id,
          account_id,
          change_id,
          message_id: await messageIdFor(change_id, webhook.id),
          payload: { entity_id, entity_type, action_type, ...(action_type === "delete" ? {} : { result }) },
          attempt: 1,
          first_attempt_at: null,
        },
      };
    }),
  );
  return { jobs, webhooks };
}

export async function consumeChanges(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const readable: ReadableChange[] = [];
  const unreadable: Message<unknown>[] = [];
  for (const message of batch.messages) {
    const parsed = ChangeMessage.safeParse(message.body);
    if (parsed.success) readable.push({ message, change: parsed.data });
    else unreadable.push(message);
  }
  await setAsidePoison(env, batch.queue, unreadable);
  if (readable.length === 0) return;

  try {
    const { jobs, webhooks } = await jobsFor(readable, env);
    const direct = jobs.slice(0, DIRECT_ATTEMPTS_PER_BATCH);
    const overflow: Executed[] = jobs
      .slice(DIRECT_ATTEMPTS_PER_BATCH)
      .map(({ job }) => ({ outcome: { kind: "requeued", job } }));
    const executed = [
      ...(await executeJobs(
        env,
        direct.map(({ job }) => job),
        webhooks,
      )),
      ...overflow,
    ];
    const unpersisted = await persistOutcomes(env, executed);
    const failedChanges = new Set(
      jobs.filter((_, i) => unpersisted.has(executed[i]?.outcome.job as DeliveryJob)).map((j) => j.index),
    );
    readable.forEach(({ message }, index) => {
      if (failedChanges.has(index)) message.retry({ delaySeconds: SYSTEM_RETRY_DELAY_S });
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
