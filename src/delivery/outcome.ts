// What follows an attempt: delivered, tried again later, or failed for good. Pure: the config, the
// clock and randomness come in. The webhook's object decides it from the attempt's log entry.
import type { Config } from "../config";
import { utf8Prefix } from "../crypto/base64";
import type { LogEntry } from "../request-log/schemas";
import type { HealthSample } from "./health";
import type { DeliveryJob, LastResponse } from "./job";
import { classify, retryDelay } from "./policy";

export type Outcome =
  | { kind: "delivered" }
  /** Tried again at dueAt as `job` (its next attempt). */
  | { kind: "retry"; dueAt: number; job: DeliveryJob }
  /** `job` as it was tried. */
  | { kind: "failed"; reason: "exhausted" | "gone"; job: DeliveryJob };

/** A failed delivery keeps this much of the receiver's last answer. */
const LAST_RESPONSE_BYTES = 1024;

export function outcomeOf(
  job: DeliveryJob,
  entry: LogEntry,
  config: Pick<Config, "retryDelaysS" | "overloadFloorS">,
  random: () => number,
  nowMs: number,
): Outcome {
  const verdict = classify({ status: entry.response?.status ?? null, error: entry.error });
  if (verdict.kind === "success") return { kind: "delivered" };
  const tried = triedJob(job, entry);
  if (verdict.kind === "gone") return { kind: "failed", reason: "gone", job: tried };
  const retryAfter = entry.response?.headers["retry-after"] ?? null;
  const delayS = retryDelay(job.attempt, verdict, retryAfter, config, random, nowMs);
  if (delayS === null) return { kind: "failed", reason: "exhausted", job: tried };
  return { kind: "retry", dueAt: nowMs + delayS * 1000, job: { ...tried, attempt: job.attempt + 1 } };
}

/** The job as attempted: when its first attempt started, and how its latest one went. */
function triedJob(job: DeliveryJob, entry: LogEntry): DeliveryJob {
  const { lease, ...kept } = job;
  return {
    ...kept,
    first_attempt_at: job.first_attempt_at ?? entry.created_at,
    last_status: entry.response?.status ?? null,
    last_error: entry.error,
    last_response: entry.response && lastResponseOf(entry.response),
  };
}

/** The answer's status and its body cut to LAST_RESPONSE_BYTES of UTF-8, on a character boundary. */
function lastResponseOf({ status, body, body_truncated }: NonNullable<LogEntry["response"]>): LastResponse {
  const kept = utf8Prefix(body, LAST_RESPONSE_BYTES);
  return { status, body: kept, body_truncated: body_truncated || kept.length < body.length };
}

export function sampleOf(entry: LogEntry): HealthSample {
  const status = entry.response?.status ?? null;
  return { startedAt: entry.created_at, status, success: entry.success, gone: status === 410 };
}
