// Delivery metrics: one Workers Analytics Engine data point per attempt outcome, for the failure
// rate, durations and failing webhooks per account (docs/operations.md: the layout and the SQL).
// Writing is synchronous and fire-and-forget (the runtime sends the point after the invocation),
// and it never throws: a missing or failing binding must never fail a delivery.
import { utf8Prefix } from "../crypto/base64";
import { logWarn } from "../log";

export type AttemptOutcome = "delivered" | "retry" | "failed" | "superseded";

export interface AttemptRecord {
  accountId: string;
  webhookId: string;
  outcome: AttemptOutcome;
  /** The receiver's status, null when there was no answer (timeout, network, blocked, not sent). */
  status: number | null;
  error: string | null;
  durationMs: number;
  /** 1 for the first attempt. */
  attempt: number;
}

type StatusClass = "1xx" | "2xx" | "3xx" | "4xx" | "5xx" | "none";

/** Analytics Engine's limit for the index (the sampling key), in bytes. */
const INDEX_MAX_BYTES = 96;
/** Enough of an error to group by; the request log and failed deliveries keep it whole. */
const ERROR_KEPT_CHARS = 200;

export function statusClass(status: number | null): StatusClass {
  if (status === null || !Number.isInteger(status) || status < 100 || status > 599) return "none";
  return `${Math.floor(status / 100)}xx` as StatusClass;
}

/**
 * The data point of one attempt. Sampling is per account (index1), so per-account figures stay
 * accurate however busy the other accounts are.
 *   index1  account id (its first 96 bytes)
 *   blob1   account id    blob2  webhook id    blob3  outcome    blob4  status class
 *   blob5   error (first 200 characters, "" when none)
 *   double1 duration in ms    double2  attempt number    double3  status (0 when none)
 */
function attemptDataPoint(record: AttemptRecord): AnalyticsEngineDataPoint {
  return {
    indexes: [utf8Prefix(record.accountId, INDEX_MAX_BYTES)],
    blobs: [
      record.accountId,
      record.webhookId,
      record.outcome,
      statusClass(record.status),
      (record.error ?? "").slice(0, ERROR_KEPT_CHARS),
    ],
    doubles: [record.durationMs, record.attempt, record.status ?? 0],
  };
}

/** A failing binding is reported at most this often (per binding, per isolate), not per attempt. */
const WARN_EVERY_MS = 60_000;
const lastWarnedAt = new WeakMap<AnalyticsEngineDataset, number>();

/** Writes the attempt's data point. Never throws, never waits. */
export function recordAttempt(env: { METRICS?: AnalyticsEngineDataset }, record: AttemptRecord): void {
  const metrics = env.METRICS;
  if (!metrics) return;
  try {
    metrics.writeDataPoint(attemptDataPoint(record));
  } catch (error) {
    const now = Date.now();
    if (now - (lastWarnedAt.get(metrics) ?? Number.NEGATIVE_INFINITY) < WARN_EVERY_MS) return;
    lastWarnedAt.set(metrics, now);
    logWarn("metrics point not written; deliveries go on", error, { webhook_id: record.webhookId });
  }
}
