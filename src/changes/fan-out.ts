// Changes-queue consumer: finds every webhook that wants each change (one D1 query for the
// whole batch) and makes the first attempts right here, concurrently. Deliveries beyond this
// batch's share, and every retry, travel on the deliveries queue.
import { consume } from "../delivery/consume";
import type { Executed } from "../delivery/execute";
import { type DeliveryJob, messageIdFor } from "../delivery/job";
import { persistOutcomes } from "../delivery/outcomes";
import { executeBatch } from "../delivery/slow-lane";
import { findSubscribers } from "../webhooks/lookups";
import type { WebhookRecord } from "../webhooks/storage";
import { subscriptionKeys } from "./matching";
import { ChangeMessage } from "./schemas";

/**
 * First attempts made inside one fan-out invocation; the rest go to the deliveries queue. Each
 * attempt costs one fetch and one Durable Object call (plus, at most, two cached DNS lookups),
 * which keeps a full batch well inside an invocation's subrequest budget of 1,000.
 */
export const DIRECT_ATTEMPTS_PER_BATCH = 200;

async function jobsFor(changes: readonly ChangeMessage[], env: Env) {
  const keys = changes.flatMap((change, index) => subscriptionKeys(change.change, index));
  const matches = await findSubscribers(env.DB, keys);
  const webhooks = new Map<string, WebhookRecord>(matches.map(({ webhook }) => [webhook.id, webhook]));
  const jobs = await Promise.all(
    matches.map(async ({ change: index, webhook }): Promise<{ index: number; job: DeliveryJob }> => {
      const { change, change_id, identity } = changes[index] as ChangeMessage;
      const { account_id, entity_type, entity_id, action_type, result } = change;
      return {
        index,
        job: {
          webhook_id: webhook.id,
          account_id,
          change_id,
          message_id: await messageIdFor(identity, webhook.id),
          payload: { entity_id, entity_type, action_type, ...(action_type === "delete" ? {} : { result }) },
          attempt: 1,
          first_attempt_at: null,
        },
      };
    }),
  );
  return { jobs, webhooks };
}

const parseChange = (body: unknown) => {
  const parsed = ChangeMessage.safeParse(body);
  return parsed.success ? parsed.data : null;
};

export function consumeChanges(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  return consume(batch, env, parseChange, async (readable) => {
    const { jobs, webhooks } = await jobsFor(
      readable.map(({ item }) => item),
      env,
    );
    const direct = jobs.slice(0, DIRECT_ATTEMPTS_PER_BATCH);
    const overflow: Executed[] = jobs
      .slice(DIRECT_ATTEMPTS_PER_BATCH)
      .map(({ job }) => ({ outcome: { kind: "requeued", job } }));
    const executed = [
      ...(await executeBatch(
        env,
        ctx,
        direct.map(({ job }) => job),
        webhooks,
      )),
      ...overflow,
    ];
    const unpersisted = await persistOutcomes(env, executed);
    // A change comes again when the next step of any of its deliveries could not be stored.
    return new Set(
      jobs.filter((_, i) => unpersisted.has(executed[i]?.outcome.job as DeliveryJob)).map((j) => j.index),
    );
  });
}
