// Runs a batch's jobs concurrently, and keeps a slow receiver from holding the batch: a job
// still running after SLOW_LANE_AFTER_MS is handed off. Its attempt goes on in waitUntil
// (the queue_consumer_no_wait_for_wait_until flag lets the next batch start meanwhile), and a
// guard message on the deliveries queue, due just after the attempt's timeout, makes the
// attempt again unless the hand-off stored its outcome and settled it in the request log.
import { configOf } from "../config";
import { requestLogOf } from "../request-log/durable-object";
import type { WebhookRecord } from "../webhooks/storage";
import { type Executed, executeJobSafely } from "./execute";
import type { DeliveryJob } from "./job";
import { type DeliveryMessage, persistOutcomes } from "./outcomes";
import { sendAll } from "./queue-batches";

/** Extra seconds a guard waits beyond the attempt's timeout before it looks. */
export const GUARD_MARGIN_S = 10;

interface Run {
  job: DeliveryJob;
  promise: Promise<Executed>;
  result?: Executed;
}

/** When the guard of an attempt started `elapsedMs` ago should look. */
export const guardDelaySeconds = (timeoutMs: number, elapsedMs: number) =>
  Math.max(0, Math.ceil((timeoutMs - elapsedMs) / 1000)) + GUARD_MARGIN_S;

async function finishInSlowLane(env: Env, run: Run): Promise<void> {
  try {
    const executed = await run.promise;
    const unpersisted = await persistOutcomes(env, [executed]);
    if (unpersisted.size === 0)
      await requestLogOf(env, run.job.webhook_id).settle(run.job.message_id, run.job.attempt);
  } catch (error) {
    // The guard makes the attempt again.
    console.error(
      JSON.stringify({
        level: "error",
        msg: "slow-lane hand-off failed",
        message_id: run.job.message_id,
        error: String(error),
      }),
    );
  }
}

export async function executeBatch(
  env: Env,
  ctx: ExecutionContext,
  jobs: readonly DeliveryJob[],
  webhooks: Map<string, WebhookRecord>,
): Promise<Executed[]> {
  const config = configOf(env);
  const startedAt = Date.now();
  const runs: Run[] = jobs.map((job) => {
    const run: Run = { job, promise: executeJobSafely(env, job, webhooks.get(job.webhook_id)) };
    run.promise.then((result) => (run.result = result));
    return run;
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, config.slowLaneAfterMs)));
  await Promise.race([Promise.all(runs.map((run) => run.promise)), limit]);
  clearTimeout(timer);

  const slow = runs.filter((run) => !run.result);
  if (slow.length > 0) {
    const delaySeconds = guardDelaySeconds(config.deliveryTimeoutMs, Date.now() - startedAt);
    const guards = slow.map((run) => ({
      run,
      body: { type: "delivery", job: { ...run.job, guard: true } } satisfies DeliveryMessage,
      delaySeconds,
    }));
    const unguarded = new Set((await sendAll(env.DELIVERIES, guards)).map((guard) => guard.run));
    for (const run of slow) {
      // Without a guard the hand-off would not be safe: such a job keeps its batch waiting.
      if (unguarded.has(run)) await run.promise;
      else ctx.waitUntil(finishInSlowLane(env, run));
    }
  }
  return runs.map((run) => run.result ?? { outcome: { kind: "handed-off", job: run.job } });
}
