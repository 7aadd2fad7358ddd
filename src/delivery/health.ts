// A webhook's delivery health (last attempt, failure streak, auto-disable), written once per
// consumer batch: the batch's attempts are summarised per webhook, then one UPDATE each.
import { markRecovered } from "../failed/storage";

/** What an attempt tells about the webhook's health. */
export interface HealthSample {
  webhookId: string;
  startedAt: string;
  status: number | null;
  success: boolean;
  gone: boolean;
}

export const FAILING_DISABLE_AFTER_MS = 5 * 24 * 60 * 60 * 1000;
/** While nothing else changes, last_delivery_at is refreshed at most this often (saves D1 writes). */
export const HEALTH_REFRESH_MS = 60 * 1000;

export interface HealthUpdate {
  webhookId: string;
  lastAt: string;
  lastStatus: number | null;
  /** Whether a success reset the streak in this batch. */
  reset: boolean;
  /** Failures after the last success (or all of them, without one). */
  failures: number;
  firstFailureAt: string | null;
  gone: boolean;
}

export function summarizeHealth(samples: readonly HealthSample[]): HealthUpdate[] {
  const byWebhook = new Map<string, HealthSample[]>();
  for (const sample of samples)
    byWebhook.set(sample.webhookId, [...(byWebhook.get(sample.webhookId) ?? []), sample]);
  return [...byWebhook].map(([webhookId, list]) => {
    const ordered = [...list].sort((a, b) =>
      a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0,
    );
    const lastSuccess = ordered.findLastIndex((sample) => sample.success);
    const failing = ordered.slice(lastSuccess + 1);
    const last = ordered[ordered.length - 1] as HealthSample;
    return {
      webhookId,
      lastAt: last.startedAt,
      lastStatus: last.status,
      reset: lastSuccess >= 0,
      failures: failing.length,
      firstFailureAt: failing[0]?.startedAt ?? null,
      gone: ordered.some((sample) => sample.gone),
    };
  });
}

// Columns on the right of SET see the row as it was; the failure streak's start is therefore
// spelled out where the auto-disable rule needs it.
const STREAK_START = "CASE WHEN ?4 THEN ?6 ELSE COALESCE(failing_since, ?6) END";
const FAILING_TOO_LONG = `(?5 > 0 AND ${STREAK_START} <= ?7)`;

export function healthStatements(
  db: D1Database,
  updates: readonly HealthUpdate[],
  nowMs: number,
): D1PreparedStatement[] {
  const disableBefore = new Date(nowMs - FAILING_DISABLE_AFTER_MS).toISOString();
  return updates.map((update) =>
    db
      .prepare(
        `UPDATE webhooks SET
           last_status = CASE WHEN last_delivery_at IS NULL OR last_delivery_at <= ?2 THEN ?3 ELSE last_status END,
           last_delivery_at = MAX(COALESCE(last_delivery_at, ''), ?2),
           consecutive_failures = CASE WHEN ?4 THEN ?5 ELSE consecutive_failures + ?5 END,
           failing_since = ${STREAK_START},
           disabled_reason = CASE WHEN ?8 THEN 'gone'
             WHEN is_active = 1 AND ${FAILING_TOO_LONG} THEN 'failing' ELSE disabled_reason END,
           is_active = CASE WHEN ?8 OR ${FAILING_TOO_LONG} THEN 0 ELSE is_active END
         WHERE id = ?1
           AND NOT (?4 AND ?5 = 0 AND NOT ?8 AND consecutive_failures = 0 AND last_status IS ?3
                    AND last_delivery_at >= ?9)`,
      )
      .bind(
        update.webhookId,
        update.lastAt,
        update.lastStatus,
        update.reset ? 1 : 0,
        update.failures,
        update.firstFailureAt,
        disableBefore,
        update.gone ? 1 : 0,
        new Date(Date.parse(update.lastAt) - HEALTH_REFRESH_MS).toISOString(),
      ),
  );
}

/**
 * Writes the health of every webhook a batch touched, and which recovered failures were delivered
 * after all, in one D1 batch. Health is a view of what happened: a missed update must not repeat
 * deliveries, so a failure is logged and left.
 */
export async function writeHealth(
  db: D1Database,
  samples: readonly HealthSample[],
  recovered: readonly { webhookId: string; messageId: string; at: string }[],
  nowMs: number,
): Promise<void> {
  const statements = [
    ...healthStatements(db, summarizeHealth(samples), nowMs),
    ...recovered.map(({ webhookId, messageId, at }) => markRecovered(db, webhookId, messageId, at)),
  ];
  if (statements.length === 0) return;
  try {
    await db.batch(statements);
  } catch (error) {
    console.error(JSON.stringify({ level: "error", msg: "health update failed", error: String(error) }));
  }
}
