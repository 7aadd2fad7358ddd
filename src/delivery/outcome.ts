// What follows an attempt: delivered, tried again later, or failed for good. Pure: the config, the
// clock and randomness come in.
import type { Config } from "../config";
import type { HealthSample } from "./health";
import type { DeliveryJob } from "./job";
import type { Outcome } from "./object-api";
import { retryDelay, type Verdict } from "./policy";
import type { AttemptResult } from "./send";

export function outcomeOf(
  job: DeliveryJob,
  attempt: { result: AttemptResult; verdict: Verdict },
  config: Pick<Config, "retryDelaysS" | "overloadFloorS">,
  random: () => number,
  nowMs: number,
): Outcome {
  const { result, verdict } = attempt;
  if (verdict.kind === "success") return { kind: "delivered" };
  if (verdict.kind === "gone") return { kind: "failed", reason: "gone" };
  const retryAfter = result.response?.headers["retry-after"] ?? null;
  const delayS = retryDelay(job.attempt, verdict, retryAfter, config, random, nowMs);
  if (delayS === null) return { kind: "failed", reason: "exhausted" };
  return { kind: "retry", dueAt: nowMs + delayS * 1000, job: { ...job, attempt: job.attempt + 1 } };
}

/** The job as attempted: when its first attempt started, and how its latest one went. */
export function triedJob(job: DeliveryJob, result: AttemptResult): DeliveryJob {
  return {
    ...job,
    first_attempt_at: job.first_attempt_at ?? result.startedAt,
    last_status: result.response?.status ?? null,
    last_error: result.error,
  };
}

export function sampleOf(webhookId: string, result: AttemptResult, verdict: Verdict): HealthSample {
  return {
    webhookId,
    startedAt: result.startedAt,
    status: result.response?.status ?? null,
    success: verdict.kind === "success",
    gone: verdict.kind === "gone",
  };
}
