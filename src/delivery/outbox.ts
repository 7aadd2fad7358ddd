// What a webhook's Durable Object writes to D1 and tells its account: the failed deliveries and
// recovered marks it keeps in its outbox (SQLite, so nothing is lost while D1 refuses them), its
// webhook's health, and the operational notices the health update raises. One D1 batch, in that
// order, so that a notice reads the webhook with its failures already counted. Health is a view
// of what happened: an update D1 refuses is logged and left, never repeated.
import { RETENTION_MS } from "../config";
import { markRecovered, recordFailure } from "../failed/storage";
import { logError } from "../log";
import {
  type HealthRow,
  type HealthSample,
  type HealthWritten,
  healthStatement,
  healthUnchanged,
  type RaisedNotice,
  summarizeHealth,
} from "./health";
import { type PendingNotice, pendingNotices, queueNotices } from "./notices";
import type { OutboxEntry, WaitingStore } from "./waiting-store";

/** A failed write to D1, or notices the changes queue refused, are tried again after this long. */
export const RETRY_MS = 30_000;
const OUTBOX_PAGE = 100;

/** What D1 said of the webhook when the service disabled it. */
export interface Disabled {
  version: number;
  reason: "gone" | "failing";
}

export class Outbox {
  /** What the last health update left in D1 (null: unknown, e.g. after a restart). */
  #written: HealthWritten | null = null;
  /** When to write the outbox again after D1 refused it (null: at the next chance). */
  #retryAt: number | null = null;
  /** When to queue the notices kept here again (null: none kept). */
  #noticesAt: number | null;

  constructor(
    private readonly env: Env,
    private readonly store: WaitingStore,
    private readonly webhookId: string,
  ) {
    this.#noticesAt = store.hasNotices() ? Date.now() : null;
  }

  /** When the alarm must ring for the outbox or the notices (null: nothing to do). */
  nextAt(now: number): number | null {
    const outbox = this.store.outboxHolds ? Math.max(now, this.#retryAt ?? now) : null;
    const at = [outbox, this.#noticesAt].filter((t): t is number => t !== null);
    return at.length > 0 ? Math.min(...at) : null;
  }

  /**
   * Writes the outbox and the health of `samples` to D1 and queues what that raised. Answers what
   * D1 said if the service disabled the webhook. With nothing to write it reads nothing either.
   * Once D1 holds all the outbox held, the marks older than the failed deliveries they serve go.
   */
  async sync(samples: readonly HealthSample[], now: number): Promise<Disabled | undefined> {
    const update = summarizeHealth(samples);
    let health = update && !healthUnchanged(this.#written, update) ? update : null;
    const pending = this.store.outboxHolds;
    if (!pending && !health) return undefined;
    const due = pending && (this.#retryAt === null || this.#retryAt <= now);
    let disabled: Disabled | undefined;
    for (;;) {
      const entries = due ? this.store.outbox(OUTBOX_PAGE) : [];
      if (!health && entries.length === 0) break;
      const statements = entries.map(({ entry }) => this.#statement(entry));
      if (health) statements.push(healthStatement(this.env.DB, this.webhookId, health, now));
      let row: HealthRow | undefined;
      try {
        const results = await this.env.DB.batch<HealthRow>(statements);
        this.store.removeFromOutbox(entries.map(({ id }) => id));
        this.#retryAt = null;
        row = health ? results.at(-1)?.results[0] : undefined;
      } catch (error) {
        logError("failed deliveries or health could not be written to D1; trying again", error, {
          webhook_id: this.webhookId,
        });
        this.#retryAt = now + RETRY_MS;
        return disabled;
      }
      health = null;
      if (row) {
        if (!row.is_active && row.notice === "disabled" && row.disabled_reason)
          disabled = { version: row.config_version, reason: row.disabled_reason };
        await this.#heard(row, now);
      }
      // More than a page waited (a webhook with a large backlog was disabled): the next one.
      if (entries.length < OUTBOX_PAGE) break;
    }
    if (pending && !this.store.outboxHolds) this.store.forgetMarks(now - RETENTION_MS);
    return disabled;
  }

  /** Notices about this webhook to queue now (the failing check's), kept if the queue refuses them. */
  async raise(raised: readonly RaisedNotice[], accountId: string, now: number): Promise<void> {
    const known = new Map([[this.webhookId, { account_id: accountId }]]);
    this.#keep(await queueNotices(this.env, pendingNotices(raised, known, now)), now);
  }

  /** Queues the notices kept here, when due; those the queue still refuses wait for the next try. */
  async flushNotices(now: number): Promise<void> {
    if (this.#noticesAt === null || this.#noticesAt > now) return;
    const kept = this.store.notices();
    const unsent = new Set((await queueNotices(this.env, kept)).map((notice) => notice.identity));
    this.store.removeNotices(kept.filter((notice) => !unsent.has(notice.identity)).map((n) => n.identity));
    this.#noticesAt = unsent.size > 0 ? now + RETRY_MS : null;
  }

  /** What the health update left in D1, and the notice it raised (queued now, or kept). */
  async #heard(row: HealthRow, now: number): Promise<void> {
    this.#written = {
      lastAt: row.last_delivery_at ?? "",
      lastStatus: row.last_status,
      failing: row.consecutive_failures > 0,
      troubleReported: row.trouble_reported_at !== null,
    };
    if (row.notice)
      await this.raise([{ webhookId: this.webhookId, action: row.notice }], row.account_id, now);
  }

  #keep(notices: readonly PendingNotice[], now: number): void {
    if (notices.length === 0) return;
    this.store.addNotices(notices);
    this.#noticesAt = now + RETRY_MS;
  }

  #statement(entry: OutboxEntry): D1PreparedStatement {
    const db = this.env.DB;
    if (entry.kind === "failure") return recordFailure(db, entry.failure);
    return markRecovered(db, this.webhookId, entry.message_id, entry.at);
  }
}
