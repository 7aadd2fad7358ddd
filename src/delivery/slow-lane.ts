// Runs a batch's jobs concurrently, and keeps a slow receiver from holding the batch: a job whose
// HTTP exchange runs much longer than its batch's others (see slowAfterMs) is handed off. Only
// the exchange is timed — the wait for the receiver — not the job's own work (decrypting,
// signing, writing its log), so a busy batch does not hand off healthy deliveries. A handed-off attempt goes on in waitUntil
// (the queue_consumer_no_wait_for_wait_until flag lets the next batch start meanwhile); a guard
// message on the deliveries queue, due just after the attempt's timeout, makes the attempt again
// unless the hand-off stored its outcome and settled it in the webhook's request log.
import { configOf } from "../config";
import { requestLogOf } from "../request-log/durable-object";
import type { WebhookRecord } from "../webhooks/storage";
import { type Executed, executeJobSafely } from "./execute";
import { gate } from "./gate";
import type { DeliveryJob } from "./job";
import { type DeliveryMessage, persistOutcomes } from "./outcomes";
import { sendAll } from "./queue-batches";
import { type ExchangeClock, releaseSlot } from "./send";
import { batchTargets } from "./targets";

/** Extra seconds a guard waits beyond the attempt's timeout before it looks. */
export const GUARD_MARGIN_S = 10;

interface Run {
  job: DeliveryJob;
  clock: ExchangeClock;
  promise: Promise<Executed>;
  result?: Executed;
  handedOff?: boolean;
  /** Its guard could not be queued: handing it off would not be safe, so the batch waits. */
  mustWait?: boolean;
}

/** When the guard of an exchange that started `elapsedMs` ago should look. */
export const guardDelaySeconds = (timeoutMs: number, elapsedMs: number) =>
  Math.max(0, Math.ceil((timeoutMs - elapsedMs) / 1000)) + GUARD_MARGIN_S;

/**
 * How long an exchange may run before it is handed off. The slow lane is for outliers, not for
 * a busy runtime in which every exchange is slow: once at least half of the batch's exchanges
 * have finished, SLOW_LANE_AFTER_MS or 4 times their median if that is longer; before, 5 times
 * SLOW_LANE_AFTER_MS.
 */
export function slowAfterMs(afterMs: number, finishedMs: readonly number[], exchanges: number): number {
  if (finishedMs.length === 0 || finishedMs.length * 2 < exchanges) return 5 * afterMs;
  const sorted = [...finishedMs].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as number;
  return Math.max(afterMs, 4 * median);
}

const exchangeTimes = (runs: readonly Run[]) =>
  runs.flatMap(({ clock }) =>
    clock.startedAt !== undefined && clock.endedAt !== undefined ? [clock.endedAt - clock.startedAt] : [],
  );

/** When a run becomes due for the slow lane: never unless its exchange is under way. */
export function overdueAt(
  run: Pick<Run, "clock" | "result" | "handedOff" | "mustWait">,
  afterMs: number,
): number {
  const { startedAt, endedAt } = run.clock;
  if (run.result || run.handedOff || run.mustWait || startedAt === undefined || endedAt !== undefined)
    return Infinity;
  return startedAt + afterMs;
}

/** Stores the outcomes of the runs handed off together, then settles each one stored. */
async function finishInSlowLane(env: Env, runs: readonly Run[]): Promise<void> {
  try {
    const executed = await Promise.all(runs.map((run) => run.promise));
    const unpersisted = await persistOutcomes(env, executed);
    const stored = runs.filter((_, i) => !unpersisted.has((executed[i] as Executed).outcome.job));
    await Promise.all(
      stored.map(({ job }) => requestLogOf(env, job.webhook_id).settle(job.message_id, job.attempt)),
    );
  } catch (error) {
    // Whatever was not settled, its guard attempts again.
    console.error(JSON.stringify({ level: "error", msg: "slow-lane hand-off failed", error: String(error) }));
  }
}

async function handOff(env: Env, ctx: ExecutionContext, overdue: readonly Run[]): Promise<void> {
  const { deliveryTimeoutMs } = configOf(env);
  const now = Date.now();
  const guards = overdue.map((run) => ({
    run,
    body: { type: "delivery", job: { ...run.job, guard: true } } satisfies DeliveryMessage,
    delaySeconds: guardDelaySeconds(deliveryTimeoutMs, now - (run.clock.startedAt ?? now)),
  }));
  const unguarded = new Set((await sendAll(env.DELIVERIES, guards)).map((guard) => guard.run));
  const handed = overdue.filter((run) => !unguarded.has(run));
  for (const run of overdue) {
    if (unguarded.has(run)) {
      run.mustWait = true;
    } else {
      run.handedOff = true;
      releaseSlot(run.clock); // the batch's other jobs need not wait for this one
    }
  }
  if (handed.length > 0) ctx.waitUntil(finishInSlowLane(env, handed));
}

export async function executeBatch(
  env: Env,
  ctx: ExecutionContext,
  jobs: readonly DeliveryJob[],
  webhooks: Map<string, WebhookRecord>,
): Promise<Executed[]> {
  const { slowLaneAfterMs, concurrentSends } = configOf(env);
  const target = batchTargets(env, Date.now());
  const slots = gate(concurrentSends);
  const runs: Run[] = jobs.map((job) => {
    const clock: ExchangeClock = { gate: slots };
    const run: Run = {
      job,
      clock,
      promise: executeJobSafely(env, job, webhooks.get(job.webhook_id), { clock, target }),
    };
    run.promise.then((result) => (run.result = result));
    return run;
  });
  for (;;) {
    const waiting = runs.filter((run) => !run.result && !run.handedOff);
    if (waiting.length === 0) break;
    const now = Date.now();
    const afterMs = slowAfterMs(slowLaneAfterMs, exchangeTimes(runs), runs.length);
    const overdue = waiting.filter((run) => overdueAt(run, afterMs) <= now);
    if (overdue.length > 0) {
      await handOff(env, ctx, overdue);
      continue;
    }
    const next = Math.min(...waiting.map((run) => overdueAt(run, afterMs)));
    const pause = Number.isFinite(next) ? Math.max(1, next - now) : afterMs;
    await Promise.race([
      ...waiting.map((run) => run.promise),
      new Promise((resolve) => setTimeout(resolve, pause)),
    ]);
  }
  // A handed-off run is the slow lane's to store, even if it finished while its guard was sent.
  return runs.map((run) =>
    run.handedOff ? { outcome: { kind: "handed-off", job: run.job } } : (run.result as Executed),
  );
}
