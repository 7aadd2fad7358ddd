// What a consumer tells a webhook's object after sending, and what a failure on our side means.
// A round's report carries every job the object let go: its outcome, or that it goes back unsent.
// The slow lane's late outcome is a report like any other (./hand-off.ts).
import type { LogEntry } from "../request-log/schemas";
import { webhookObject } from "../webhooks/object";
import type { DeliveryJob } from "./job";
import type { Answer, Finished, Holder, Report } from "./object-api";
import type { Watched } from "./slow-lane";

/** A job that failed on our side (a secret that does not decrypt, D1) is tried again after this long. */
export const SYSTEM_RETRY_MS = 60_000;

/**
 * Where a failure on our side happened: asking the object what may go, making an attempt, or
 * reporting back. `afterFailure` says what follows each; every consumer goes by it.
 */
type Stage = "ask" | "attempt" | "report";

export class StageError extends Error {
  constructor(
    readonly stage: Stage,
    cause: unknown,
  ) {
    super(`${stage} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "StageError";
  }
}

/** Which queue message brought the work: a change (fan-out) or a wake-up (the deliveries consumer). */
type Source = "change" | "wake";

/**
 * What follows a failure on our side (the one mapping every path goes by). An attempt that could
 * not be made hands its job back to the object (nothing was sent; it is made again after
 * SYSTEM_RETRY_MS). When the object could not be asked, the message comes again. When it could not
 * be told an outcome, a change comes again (the object keeps a change it let go straight from the
 * fan-out only in memory), while a wake-up is acked: what it claimed, the object keeps until the
 * lease ends, and then makes again (receivers dedupe on webhook-id).
 */
export function afterFailure(stage: Stage, source: Source): "hand back" | "retry message" | "ack" {
  if (stage === "attempt") return "hand back";
  if (stage === "report" && source === "wake") return "ack";
  return "retry message";
}

/** An attempt of a round, as its report sees it. */
export interface Reported extends Watched {
  job: DeliveryJob;
  entry?: LogEntry;
}

/** A job as its outcome goes back: a delivered one without its record (the object has no use for it). */
export function finishedOf(job: DeliveryJob, entry: LogEntry): Finished {
  if (!entry.success) return { job, entry };
  const { entity_id, entity_type, action_type } = job.payload;
  return { job: { ...job, payload: { entity_id, entity_type, action_type } }, entry };
}

/** The outcomes of attempts that ended (those handed off before they ended are left to their own report). */
const finishedIn = (attempts: readonly Reported[]) =>
  attempts.flatMap((a) => (a.state === "ended" && a.entry ? [finishedOf(a.job, a.entry)] : []));

/** The report that ends a round let go under `lease`: a job that failed on our side goes back (afterFailure). */
export function roundReport(attempts: readonly Reported[], lease: number, now: number): Report {
  const handedBack = attempts.flatMap(({ job, state }) => {
    if (state === "not-sent") return [{ job, dueAt: now }];
    if (state === "failed")
      return [
        { job: { ...job, system_failures: (job.system_failures ?? 0) + 1 }, dueAt: now + SYSTEM_RETRY_MS },
      ];
    return [];
  });
  return { finished: finishedIn(attempts), handedBack, closes: lease };
}

/** Tells the webhook's object; answers what that released. A failure is a StageError("report"). */
export async function tell(
  env: Env,
  webhookId: string,
  holder: Holder,
  report: Report,
  budget: number,
): Promise<Answer> {
  try {
    return await webhookObject(env, webhookId).report(holder, report, budget);
  } catch (error) {
    throw new StageError("report", error);
  }
}
