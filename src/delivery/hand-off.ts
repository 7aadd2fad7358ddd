// The slow lane's hand-off (see ./slow-lane.ts): the batch stops waiting for an overdue attempt,
// its webhook's object keeps the delivery until its lease ends, and the attempt's outcome goes to
// the object in a report of its own when it ends — the same report every outcome goes in.
import { logError } from "../log";
import type { WebhookRecord } from "../webhooks/storage";
import type { Holder } from "./object-api";
import { finishedOf, type Reported, tell } from "./reports";
import { releaseSlot } from "./send";

/** An attempt the slow lane may take over. */
export interface Overdue extends Reported {
  webhook: WebhookRecord;
  holder: Holder;
  /** Resolves when the attempt itself is over (it goes on after a hand-off). */
  done: Promise<void>;
  /** Lets the batch go on without it. */
  settle: () => void;
}

/** Hands the overdue attempts to their objects, one report per webhook; what one could not take, the batch waits for. */
export async function handOffSlow(env: Env, ctx: ExecutionContext, overdue: Overdue[]): Promise<void> {
  const groups = [...Map.groupBy(overdue, (a) => a.webhook.id).values()];
  const taken = await Promise.all(
    groups.map(async (attempts) => {
      const { webhook, holder } = attempts[0] as Overdue;
      try {
        await tell(env, webhook.id, holder, { handedOff: attempts.map((a) => a.job) }, 0);
        return attempts;
      } catch (error) {
        logError("slow-lane hand-off failed; the batch waits for the attempt", error, {
          webhook_id: webhook.id,
        });
        for (const a of attempts) if (a.state === "sending") a.state = "kept";
        return [];
      }
    }),
  );
  const handed = taken.flat().filter((a) => a.state === "sending");
  for (const a of handed) {
    a.state = "handed-off";
    // Its webhook is slow: what of it has no slot yet must not take the slots handed back here.
    if (a.clock.key !== undefined) a.clock.gate?.bench(a.clock.key);
    releaseSlot(a.clock); // the batch's other exchanges need not wait for this one
    a.settle();
  }
  if (handed.length > 0) ctx.waitUntil(reportLate(env, handed));
}

/** The slow lane's end: the outcomes of attempts handed off together, reported to their objects. */
async function reportLate(env: Env, attempts: readonly Overdue[]): Promise<void> {
  await Promise.all(attempts.map((a) => a.done));
  await Promise.all(
    [...Map.groupBy(attempts, (a) => a.webhook.id).values()].map(async (group) => {
      const { webhook, holder } = group[0] as Overdue;
      const finished = group.flatMap((a) => (a.entry ? [finishedOf(a.job, a.entry)] : []));
      try {
        // Budget 0: whatever this releases waits for the deliveries consumer, not for this background work.
        if (finished.length > 0) await tell(env, webhook.id, holder, { finished }, 0);
      } catch (error) {
        // The object kept each of them until its lease ends: then they are made again.
        logError("slow-lane outcome not stored", error, { webhook_id: webhook.id });
      }
    }),
  );
}
