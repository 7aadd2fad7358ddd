// A webhook's delivery health (last attempt, failure streak, auto-disable) in D1, written by its
// Durable Object: the attempts of a report are summarised, then one UPDATE — left out while
// nothing it would write has changed (./outbox.ts keeps what the last one wrote).

/** What an attempt tells about the webhook's health. */
export interface HealthSample {
  startedAt: string;
  status: number | null;
  success: boolean;
  gone: boolean;
}

const FAILING_DISABLE_AFTER_MS = 5 * 24 * 60 * 60 * 1000;
/** An account hears that a webhook is failing once every attempt has failed this long… */
export const FAILING_NOTICE_AFTER_MS = 60 * 60 * 1000;
/** …and again this often while the streak lasts. */
const FAILING_NOTICE_EVERY_MS = 24 * 60 * 60 * 1000;
/** While every attempt succeeds, last_delivery_at is refreshed at most this often (saves D1 writes). */
export const HEALTH_REFRESH_MS = 10 * 1000;

/** A moment as the webhooks table keeps it (ISO text, which sorts as time). */
const at = (ms: number) => new Date(ms).toISOString();

export interface HealthUpdate {
  lastAt: string;
  lastStatus: number | null;
  /** Whether a success reset the streak in this batch. */
  reset: boolean;
  /** Failures after the last success (or all of them, without one). */
  failures: number;
  firstFailureAt: string | null;
  gone: boolean;
}

/** The attempts of one webhook, in the order they started, as one update (null: none). */
export function summarizeHealth(samples: readonly HealthSample[]): HealthUpdate | null {
  if (samples.length === 0) return null;
  const ordered = [...samples].sort((a, b) =>
    a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0,
  );
  const lastSuccess = ordered.findLastIndex((sample) => sample.success);
  const failing = ordered.slice(lastSuccess + 1);
  const last = ordered[ordered.length - 1] as HealthSample;
  return {
    lastAt: last.startedAt,
    lastStatus: last.status,
    reset: lastSuccess >= 0,
    failures: failing.length,
    firstFailureAt: failing[0]?.startedAt ?? null,
    gone: ordered.some((sample) => sample.gone),
  };
}

/** What the last health update left in D1, as its RETURNING said. */
export interface HealthWritten {
  lastAt: string;
  lastStatus: number | null;
  failing: boolean;
  troubleReported: boolean;
}

/**
 * Whether an update would change nothing D1 shows: only successes, with the status last written,
 * within HEALTH_REFRESH_MS of the last written time, no streak to end and no trouble to clear.
 */
export function healthUnchanged(written: HealthWritten | null, update: HealthUpdate): boolean {
  if (!written || update.failures > 0 || update.gone || written.failing || written.troubleReported)
    return false;
  return (
    update.lastStatus === written.lastStatus &&
    Date.parse(update.lastAt) - Date.parse(written.lastAt) < HEALTH_REFRESH_MS
  );
}

// Columns on the right of SET see the row as it was; the failure streak's start is therefore
// spelled out where the auto-disable rule and the notices need it.
const STREAK_START = "CASE WHEN ?4 THEN ?6 ELSE COALESCE(failing_since, ?6) END";
const FAILING_TOO_LONG = `(?5 > 0 AND ${STREAK_START} <= ?7)`;
/** The service disables the webhook with this update (410, or failing for 5 days). */
const DISABLING = `(is_active = 1 AND (?8 OR ${FAILING_TOO_LONG}))`;
/** It delivers again after the account was told of its trouble. */
const RECOVERING = "(?4 AND ?5 = 0 AND trouble_reported_at IS NOT NULL)";
/** Every attempt has failed for an hour, and the account was not told so within the last day. */
const FAILING_DUE = `(is_active = 1 AND ?5 > 0 AND ${STREAK_START} <= ?11
  AND (trouble_reported_at IS NULL OR trouble_reported_at <= ?12))`;

/** What the health update answers: whether it raised a notice, and the webhook as it left it. */
export interface HealthRow {
  account_id: string;
  notice: RaisedNotice["action"] | null;
  config_version: number;
  is_active: number;
  disabled_reason: "gone" | "failing" | null;
  last_delivery_at: string | null;
  last_status: number | null;
  consecutive_failures: number;
  trouble_reported_at: string | null;
}

export function healthStatement(
  db: D1Database,
  webhookId: string,
  update: HealthUpdate,
  nowMs: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE webhooks SET
           last_status = CASE WHEN last_delivery_at IS NULL OR last_delivery_at <= ?2 THEN ?3 ELSE last_status END,
           last_delivery_at = MAX(COALESCE(last_delivery_at, ''), ?2),
           consecutive_failures = CASE WHEN ?4 THEN ?5 ELSE consecutive_failures + ?5 END,
           failing_since = ${STREAK_START},
           notice = CASE WHEN ${DISABLING} THEN 'disabled' WHEN ${RECOVERING} THEN 'recovered'
             WHEN ${FAILING_DUE} THEN 'failing' END,
           trouble_reported_at = CASE WHEN ${DISABLING} OR ${FAILING_DUE} THEN ?10
             WHEN ${RECOVERING} THEN NULL ELSE trouble_reported_at END,
           disabled_reason = CASE WHEN ?8 THEN 'gone'
             WHEN is_active = 1 AND ${FAILING_TOO_LONG} THEN 'failing' ELSE disabled_reason END,
           is_active = CASE WHEN ?8 OR ${FAILING_TOO_LONG} THEN 0 ELSE is_active END,
           config_version = config_version + CASE WHEN ${DISABLING} THEN 1 ELSE 0 END,
           updated_at = CASE WHEN ${DISABLING} THEN ?10 ELSE updated_at END
         WHERE id = ?1
           AND NOT (?4 AND ?5 = 0 AND NOT ?8 AND consecutive_failures = 0 AND last_status IS ?3
                    AND last_delivery_at >= ?9 AND trouble_reported_at IS NULL)
         RETURNING account_id, notice, config_version, is_active, disabled_reason, last_delivery_at, last_status,
           consecutive_failures, trouble_reported_at`,
    )
    .bind(
      webhookId,
      update.lastAt,
      update.lastStatus,
      update.reset ? 1 : 0,
      update.failures,
      update.firstFailureAt,
      at(nowMs - FAILING_DISABLE_AFTER_MS),
      update.gone ? 1 : 0,
      at(Date.parse(update.lastAt) - HEALTH_REFRESH_MS),
      at(nowMs),
      at(nowMs - FAILING_NOTICE_AFTER_MS),
      at(nowMs - FAILING_NOTICE_EVERY_MS),
    );
}

/**
 * Looks, without an attempt, whether a webhook's account must hear now that it is failing (every
 * attempt failed for FAILING_NOTICE_AFTER_MS, not told within FAILING_NOTICE_EVERY_MS): a streak
 * of few attempts (a retry after 5 min, the next after 2 h) must not delay the notice to its next
 * attempt. Raises it at most once, as the health update does (the same columns decide). Answers
 * whether it raised one, for which account, and when to look next (null: not failing).
 */
export async function checkFailing(
  db: D1Database,
  webhookId: string,
  nowMs: number,
): Promise<{ raised: { accountId: string } | null; nextAt: number | null }> {
  const [raised, state] = await db.batch([
    db
      .prepare(
        `UPDATE webhooks SET notice = 'failing', trouble_reported_at = ?2
         WHERE id = ?1 AND is_active = 1 AND consecutive_failures > 0 AND failing_since <= ?3
           AND (trouble_reported_at IS NULL OR trouble_reported_at <= ?4)
         RETURNING account_id`,
      )
      .bind(webhookId, at(nowMs), at(nowMs - FAILING_NOTICE_AFTER_MS), at(nowMs - FAILING_NOTICE_EVERY_MS)),
    db
      .prepare(
        `SELECT is_active, consecutive_failures, failing_since, trouble_reported_at FROM webhooks WHERE id = ?`,
      )
      .bind(webhookId),
  ]);
  const accountId = (raised?.results[0] as { account_id: string } | undefined)?.account_id;
  const row = state?.results[0] as
    | {
        is_active: number;
        consecutive_failures: number;
        failing_since: string | null;
        trouble_reported_at: string | null;
      }
    | undefined;
  if (!row?.is_active || row.consecutive_failures === 0 || !row.failing_since)
    return { raised: accountId ? { accountId } : null, nextAt: null };
  const told = row.trouble_reported_at ? Date.parse(row.trouble_reported_at) + FAILING_NOTICE_EVERY_MS : 0;
  const nextAt = Math.max(Date.parse(row.failing_since) + FAILING_NOTICE_AFTER_MS, told);
  return { raised: accountId ? { accountId } : null, nextAt: Number.isFinite(nextAt) ? nextAt : null };
}

/** A webhook whose health update calls for telling its account (see ./notices.ts). */
export interface RaisedNotice {
  webhookId: string;
  action: "failing" | "disabled" | "recovered";
}
