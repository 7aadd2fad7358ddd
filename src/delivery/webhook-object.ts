// One Durable Object per webhook: the one place that sees every delivery of its webhook. It keeps
// the order of each entity's changes and every delivery that waits — for a retry, for an earlier
// change of its entity, for its turn under max_per_second, or handed off by a slow batch — in its
// SQLite (./ledger.ts), and the request log. The consumers make the attempts: they ask it what may
// go (begin, claim), send, and report back (finish). Its alarm wakes the deliveries consumer when
// waiting work is due and writes failed deliveries to D1. See ./README.md.
import { DurableObject } from "cloudflare:workers";
import { configOf, RETENTION_MS } from "../config";
import { recordFailure } from "../failed/storage";
import { logError } from "../log";
import type { WakeMessage } from "../messages/queue";
import { type ActivityBucket, activityBuckets } from "../request-log/activity";
import type { LogEntry } from "../request-log/schemas";
import { LogStore } from "../request-log/store";
import { checkFailing, FAILING_NOTICE_AFTER_MS, summarizeHealth } from "./health";
import type { DeliveryJob } from "./job";
import { Ledger } from "./ledger";
import { type PendingNotice, pendingNotices, queueNotices } from "./notices";
import { type Finished, leaseMs, type WebhookState } from "./object-api";

/** A wake-up not answered by a claim within this long is sent again (it may have been lost). */
export const WAKE_RETRY_MS = 15_000;
/** A failed write of failed deliveries to D1 or of notices to the queue, or a failed look whether the webhook is failing, is tried again after this long. */
const OUTBOX_RETRY_MS = 30_000;
/**
 * After the slow lane took over one of its attempts, a webhook counts as slow this long (or until
 * an attempt of it is quick again): new changes for it are not attempted by the fan-out batch,
 * whose other webhooks must not wait for its slots, but by the deliveries consumer (woken by the
 * alarm at once).
 */
export const SLOW_WEBHOOK_MS = 60_000;
/** The timer of the next look whether the account must hear that this webhook is failing. */
const FAILING_CHECK = "failing_check";

export class WebhookObject extends DurableObject<Env> {
  #log!: LogStore;
  #ledger!: Ledger;
  #alarmAt: number | null = null;
  #wakeSentAt: number | null = null;
  #outboxRetryAt: number | null = null;
  /** When to try again to queue the operational notices kept here (null: none kept). */
  #noticesRetryAt: number | null = null;
  #slowUntil = 0;
  /** When to look next whether the account must hear that this webhook is failing (null: not failing). */
  #failingCheckAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#open();
    ctx.blockConcurrencyWhile(async () => {
      this.#alarmAt = await ctx.storage.getAlarm();
    });
  }

  /**
   * New changes from the fan-out: answers the webhook-ids of those to send now; keeps the rest
   * (held, paced, beyond `budget`, or all of them while the webhook is slow).
   */
  async begin(state: WebhookState, jobs: DeliveryJob[], budget: number): Promise<string[]> {
    const now = Date.now();
    this.#ledger.told(state);
    const go: string[] = [];
    const mayGo = this.#slowUntil <= now;
    if (!state.active) {
      // Disabled by the service: kept as failed deliveries to recover. Switched off by hand: its
      // new changes are not for it (the fan-out only finds it by a race with the switch-off).
      if (state.disabled_reason)
        for (const job of jobs) this.#ledger.fail(job, "disabled", job.attempt - 1, now);
    } else {
      for (const job of [...jobs].sort((a, b) => a.seq - b.seq)) {
        if (this.#ledger.admit(job, mayGo && go.length < budget, now)) go.push(job.message_id);
      }
    }
    await this.#schedule(now);
    return go;
  }

  /**
   * The webhook was switched off: what waits here gets no more tries and is recorded at once as
   * failed ("deactivated"), so that recover can send it once the webhook is active again.
   */
  async switchedOff(state: WebhookState): Promise<void> {
    const now = Date.now();
    this.#ledger.told(state);
    this.#ledger.dispatch(state, now, 0);
    await this.#schedule(now);
  }

  /**
   * Waiting deliveries that are due, for the deliveries consumer the alarm woke. While the webhook
   * is slow, at most CONCURRENT_SENDS at a time: as many as one invocation sends to it at once.
   * More would only come back unsent (its invocation benches it once an attempt is handed off),
   * and a growing backlog would travel to the consumer and back again on every wake-up.
   */
  async claim(state: WebhookState, budget: number): Promise<DeliveryJob[]> {
    const now = Date.now();
    this.#ledger.told(state);
    this.#wakeSentAt = null;
    const slow = this.#slowUntil > now;
    const jobs = this.#ledger.dispatch(
      state,
      now,
      slow ? Math.min(budget, configOf(this.env).concurrentSends) : budget,
    );
    await this.#schedule(now);
    return jobs;
  }

  /** What became of the attempts: logs them, settles each delivery, answers what that released. */
  async finish(state: WebhookState, results: Finished[], budget: number): Promise<DeliveryJob[]> {
    const now = Date.now();
    this.#ledger.told(state);
    const quick = configOf(this.env).slowLaneAfterMs;
    this.#log.recordAll(results.map((finished) => finished.entry));
    for (const finished of results) {
      this.#ledger.settle(finished, now);
      if (finished.entry.duration_ms <= quick) this.#slowUntil = 0;
    }
    // A 410 disables the webhook: its account hears of that, not of a failure streak.
    const gone = results.some(({ outcome }) => outcome.kind === "failed" && outcome.reason === "gone");
    if (!state.active || gone) this.#setFailingCheck(null);
    else this.#watchStreak(results.map((finished) => finished.entry));
    const next = this.#ledger.dispatch(state, now, budget);
    await this.#schedule(now);
    return next;
  }

  /**
   * Attempts a batch stopped waiting for (the slow lane: `slow`), or could not make (a failure on
   * our side): kept until `until`, when they are made again unless reported finished by then.
   */
  async handOff(jobs: DeliveryJob[], until: number, slow: boolean): Promise<void> {
    const now = Date.now();
    for (const job of jobs) this.#ledger.out(job, until);
    if (slow) this.#slowUntil = now + SLOW_WEBHOOK_MS;
    await this.#schedule(now);
  }

  /** Operational notices about this webhook that could not be queued: kept, and queued again by the alarm. */
  async keepNotices(notices: PendingNotice[]): Promise<void> {
    const now = Date.now();
    this.#keepNotices(notices, now);
    await this.#schedule(now);
  }

  /** Failed deliveries to send again: answers which were queued and which are superseded (by failed_id). */
  async recover(jobs: DeliveryJob[]): Promise<{ queued: string[]; superseded: string[] }> {
    const now = Date.now();
    const queued: string[] = [];
    const superseded: string[] = [];
    for (const job of jobs)
      (this.#ledger.recover(job, now) ? queued : superseded).push(job.failed_id ?? job.message_id);
    await this.#schedule(now);
    return { queued, superseded };
  }

  isSuperseded(entity: string, seq: number): boolean {
    return this.#ledger.isSuperseded(entity, seq);
  }

  /** Logs a request an admin asked for (test, redelivery); `delivered` when it delivered a change. */
  record(entry: LogEntry, delivered?: { entity: string; seq: number }): void {
    this.#log.record(entry);
    if (delivered) this.#ledger.delivered(delivered.entity, delivered.seq, Date.now());
  }

  list(): LogEntry[] {
    return this.#log.list();
  }

  get(id: string): LogEntry | null {
    return this.#log.get(id);
  }

  /** Requests that succeeded and failed, and their median duration, per bucket of the window. */
  activity(window: "24h" | "7d"): ActivityBucket[] {
    return activityBuckets(window, Date.now(), this.#log.hours());
  }

  /** Forgets everything: the webhook was deleted. */
  async clear(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.#open();
    this.#alarmAt = null;
  }

  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    const now = Date.now();
    await this.#flushOutbox(now);
    await this.#flushNotices(now);
    await this.#checkFailing(now);
    if (this.#ledger.anyDue(now) && (this.#wakeSentAt === null || now - this.#wakeSentAt >= WAKE_RETRY_MS)) {
      try {
        const wake: WakeMessage = { type: "wake", webhook_id: this.#webhookId() };
        await this.env.DELIVERIES.send(wake, { contentType: "json" });
        this.#wakeSentAt = now;
      } catch (error) {
        logError("wake-up could not be queued", error);
      }
    }
    await this.#schedule(now);
  }

  #open(): void {
    this.#log = new LogStore(this.ctx.storage.sql);
    this.#ledger = new Ledger(this.ctx.storage.sql, leaseMs(this.env));
    this.#failingCheckAt = this.#ledger.store.timer(FAILING_CHECK);
    this.#noticesRetryAt = this.#ledger.store.hasNotices() ? Date.now() : null;
  }

  #setFailingCheck(at: number | null): void {
    if (at === this.#failingCheckAt) return;
    this.#failingCheckAt = at;
    this.#ledger.store.setTimer(FAILING_CHECK, at);
  }

  /**
   * Keeps the failing check in step with the attempts (their order is their start): a streak that
   * begins is looked at an hour in, whether or not an attempt happens then; a success ends it.
   * Only a hint of when to look: the health in D1 decides (./health.ts), so a streak begun by a
   * test or a redelivery, or one this misjudges, costs at most a look.
   */
  #watchStreak(entries: readonly LogEntry[]): void {
    const webhookId = this.#webhookId();
    const samples = entries.map((entry) => ({
      webhookId,
      startedAt: entry.created_at,
      status: entry.response?.status ?? null,
      success: entry.success,
      gone: false,
    }));
    const [streak] = summarizeHealth(samples);
    if (!streak) return;
    if (streak.firstFailureAt === null) {
      if (streak.reset) this.#setFailingCheck(null);
      return;
    }
    if (streak.reset || this.#failingCheckAt === null)
      this.#setFailingCheck(Date.parse(streak.firstFailureAt) + FAILING_NOTICE_AFTER_MS);
  }

  /** When the failing check is due: tells the account if D1's health says so, and sets the next look. */
  async #checkFailing(now: number): Promise<void> {
    if (this.#failingCheckAt === null || this.#failingCheckAt > now) return;
    const webhookId = this.#webhookId();
    try {
      const { raised, nextAt } = await checkFailing(this.env.DB, webhookId, now);
      if (raised) {
        const known = new Map([[webhookId, { account_id: raised.accountId }]]);
        const notices = pendingNotices([{ webhookId, action: "failing" }], known, now);
        this.#keepNotices(await queueNotices(this.env, notices), now);
      }
      this.#setFailingCheck(nextAt);
    } catch (error) {
      logError("could not look whether the webhook is failing; trying again", error);
      this.#setFailingCheck(now + OUTBOX_RETRY_MS);
    }
  }

  #webhookId(): string {
    const name = this.ctx.id.name;
    if (!name) throw new Error("a webhook's object must be addressed by the webhook's id");
    return name;
  }

  #keepNotices(notices: readonly PendingNotice[], now: number): void {
    if (notices.length === 0) return;
    this.#ledger.store.addNotices(notices);
    this.#noticesRetryAt = now + OUTBOX_RETRY_MS;
  }

  /** Queues the notices kept here, when due; those the queue still refuses wait for the next try. */
  async #flushNotices(now: number): Promise<void> {
    if (this.#noticesRetryAt === null || this.#noticesRetryAt > now) return;
    const { store } = this.#ledger;
    const kept = store.notices();
    const unsent = new Set((await queueNotices(this.env, kept)).map((notice) => notice.identity));
    store.removeNotices(kept.filter((notice) => !unsent.has(notice.identity)).map((n) => n.identity));
    this.#noticesRetryAt = unsent.size > 0 ? now + OUTBOX_RETRY_MS : null;
  }

  async #flushOutbox(now: number): Promise<void> {
    if (this.#outboxRetryAt !== null && this.#outboxRetryAt > now) return;
    const { store } = this.#ledger;
    try {
      for (let rows = store.failures(100); rows.length > 0; rows = store.failures(100)) {
        await this.env.DB.batch(rows.map(({ failure }) => recordFailure(this.env.DB, failure)));
        store.removeFailures(rows.map(({ id }) => id));
      }
      this.#outboxRetryAt = null;
      this.#ledger.outboxPending = false;
      store.forgetMarks(now - RETENTION_MS);
    } catch (error) {
      logError("failed deliveries could not be written to D1; trying again", error);
      this.#outboxRetryAt = now + OUTBOX_RETRY_MS;
    }
  }

  /** Sets the alarm to the next moment there is something to do (none: no alarm), if that changed. */
  async #schedule(now: number): Promise<void> {
    const at = this.#nextAlarm(now);
    if (at === this.#alarmAt) return;
    this.#alarmAt = at;
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(at);
  }

  #nextAlarm(now: number): number | null {
    const candidates: number[] = [];
    if (this.#failingCheckAt !== null) candidates.push(Math.max(now, this.#failingCheckAt));
    if (this.#ledger.outboxPending) candidates.push(Math.max(now, this.#outboxRetryAt ?? now));
    if (this.#noticesRetryAt !== null) candidates.push(Math.max(now, this.#noticesRetryAt));
    const turn = this.#ledger.nextTurn(now);
    if (turn !== null) {
      // Due now but a wake-up is on its way: look again only if no claim answers it.
      const waking = this.#wakeSentAt !== null && turn <= now;
      candidates.push(waking ? (this.#wakeSentAt as number) + WAKE_RETRY_MS : turn);
    }
    return candidates.length > 0 ? Math.min(...candidates) : null;
  }
}
