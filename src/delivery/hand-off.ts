// The slow lane's hand-off (see ./slow-lane.ts): the batch stops waiting for an overdue attempt,
// its webhook's object keeps the delivery until its lease ends, and the attempt reports its
// outcome from the background when it ends.
import { logError } from "../log";
import { webhookObject } from "../webhooks/object";
import { writeHealth } from "./health";
import { sendNotices } from "./notices";
import { type Finished, leaseMs, stateOf } from "./object-api";
import type { Run } from "./run";
import { releaseSlot } from "./send";

/** Hands the overdue runs to their objects, one call per webhook; what one could not take, the batch waits for. */
export async function handOffSlow(env: Env, ctx: ExecutionContext, overdue: Run[]): Promise<void> {
  const until = Date.now() + leaseMs(env);
  const taken = await Promise.all(
    [...Map.groupBy(overdue, (run) => run.webhook.id).values()].map(async (runs) => {
      try {
        const object = webhookObject(env, (runs[0] as Run).webhook.id);
        await object.handOff(
          runs.map((run) => run.job),
          until,
          true,
        );
        return runs;
      } catch (error) {
        logError("slow-lane hand-off failed", error);
        for (const run of runs) run.mustWait = true;
        return [];
      }
    }),
  );
  const handed = taken.flat().filter((run) => !run.done);
  // Its webhook is slow: what of it has no slot yet must not take the slots handed back here.
  for (const run of handed) if (run.clock.key !== undefined) run.clock.gate?.bench(run.clock.key);
  for (const run of handed) {
    run.handedOff = true;
    releaseSlot(run.clock); // the batch's other exchanges need not wait for this one
    run.settle(null);
  }
  if (handed.length > 0) ctx.waitUntil(finishLate(env, handed));
}

/** The slow lane's end: the outcomes of runs handed off together go to their objects, then their health. */
async function finishLate(env: Env, runs: readonly Run[]): Promise<void> {
  const results = await Promise.all(runs.map((run) => run.promise));
  const finished = runs.flatMap((run, i) => (results[i] ? [{ run, finished: results[i] as Finished }] : []));
  await Promise.all(
    [...Map.groupBy(finished, ({ run }) => run.webhook.id).values()].map(async (entries) => {
      const webhook = (entries[0] as { run: Run }).run.webhook;
      try {
        // Budget 0: whatever this releases waits for the object's alarm, not for this background work.
        await webhookObject(env, webhook.id).finish(
          stateOf(webhook),
          entries.map((e) => e.finished),
          0,
        );
      } catch (error) {
        // The object made each of them wait until its lease ends: then they are made again.
        logError("slow-lane outcome not stored", error);
      }
    }),
  );
  const samples = runs.flatMap((run) => (run.sample ? [run.sample] : []));
  const raised = await writeHealth(env.DB, samples, [], Date.now());
  await sendNotices(env, raised, new Map(runs.map((run) => [run.webhook.id, run.webhook])));
}
