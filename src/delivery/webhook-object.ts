// One Durable Object per webhook: the one place that sees every delivery of its webhook, and the
// one place every outcome goes. It keeps the order of each entity's changes and every delivery
// that waits (./ledger.ts), knows which configuration of its webhook is current and lets nothing
// go to a caller that holds an older one (./grants.ts), keeps the request log, and writes what
// follows an attempt to D1 — failed deliveries, recovered marks, health, notices (./outbox.ts).
// Callers ask (begin, claim, manual), send, and report back (report). Its alarm wakes the
// deliveries consumer when waiting work is due. It also keeps the webhook's OAuth2 token, in
// memory (./tokens.ts), and gives it with the deliveries it lets go. See ./README.md.
import { DurableObject } from "cloudflare:workers";
import { configOf } from "../config";
import type { NewFailure } from "../failed/storage";
import { logWarn } from "../log";
import { recordAttempt } from "../metrics/attempts";
import { type ActivityBucket, activityBuckets } from "../request-log/activity";
import type { LogEntry } from "../request-log/schemas";
import { LogStore } from "../request-log/store";
import { Alarm } from "./alarm";
import { type Configuration, Grants, type Holder } from "./grants";
import type { DeliveryJob } from "./job";
import { Ledger, type Resend } from "./ledger";
import { type Answer, leaseMs, type Report } from "./object-api";
import { Outbox } from "./outbox";
import { outcomeOf } from "./outcome";
import type { PendingCursor, PendingItem } from "./pending";
import { attemptPoint, supersededPoint } from "./points";
import { Streak } from "./streak";
import { requestTokenOf, tokenRequestMs } from "./token-request";
import { type Sending, type TokenGrant, Tokens } from "./tokens";
import { WaitingStore } from "./waiting-store";

/**
 * After the slow lane took over one of its attempts, a webhook counts as slow this long (or until
 * an attempt of it is quick again): new changes for it are not attempted by the fan-out batch,
 * whose other webhooks must not wait for its slots, but by the deliveries consumer (woken by the
 * alarm at once).
 */
const SLOW_WEBHOOK_MS = 60_000;

/** The answer to a manual send (test, redelivery): go under `lease`, or why not. */
type ManualAnswer =
  | { kind: "go"; lease: number; auth?: TokenGrant }
  | { kind: "stale" | "gone" }
  | { kind: Exclude<Resend, "go"> };

export class WebhookObject extends DurableObject<Env> {
  #log!: LogStore;
  #ledger!: Ledger;
  #grants!: Grants;
  #outbox!: Outbox;
  #streak!: Streak;
  #tokens!: Tokens;
  #alarm: Alarm;
  #slowUntil = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#open();
    this.#alarm = new Alarm(ctx, env, this.#webhookId());
    ctx.blockConcurrencyWhile(() => this.#alarm.load());
  }

  /**
   * New changes from the fan-out: answers those to send now; keeps the rest (held, paced, beyond
   * `budget`, all of them while the webhook is slow or the caller's configuration is stale).
   */
  async begin(holder: Holder, jobs: DeliveryJob[], budget: number): Promise<Answer> {
    // The token first: none yet (its request takes long) keeps every job for later.
    const { auth } = this.#slowUntil <= Date.now() ? await this.#sending(holder) : {};
    const now = Date.now();
    const standing = this.#grants.standing(holder);
    if (standing === "gone") return { kind: "gone" };
    const state = this.#grants.state ?? holder.state;
    const lease = this.#grants.grant(now);
    const go: DeliveryJob[] = [];
    if (!state.active) {
      // Disabled by the service: kept as failed deliveries to recover. Switched off by hand: its
      // new changes are not for it (the fan-out only finds it by a race with the switch-off).
      if (state.disabled_reason)
        for (const job of jobs) this.#ledger.fail(job, "disabled", job.attempt - 1, now);
    } else {
      const mayGo = standing === "ok" && this.#slowUntil <= now && auth !== "pending";
      for (const job of [...jobs].sort((a, b) => a.seq - b.seq)) {
        const admitted = this.#ledger.admit(job, { mayGo: mayGo && go.length < budget, lease, state }, now);
        if (admitted) go.push({ ...job, lease });
      }
    }
    if (go.length === 0) this.#grants.close(lease);
    await this.#settleUp(now);
    return standing === "ok" ? { kind: "go", lease, jobs: go, ...sentWith(auth, go) } : { kind: standing };
  }

  /**
   * Waiting deliveries that are due, for the deliveries consumer the alarm woke. While the webhook
   * is slow, at most CONCURRENT_SENDS at a time: as many as one invocation sends to it at once.
   */
  async claim(holder: Holder, budget: number): Promise<Answer> {
    const now = Date.now();
    const slow = this.#slowUntil > now;
    const answer = await this.#release(
      holder,
      slow ? Math.min(budget, configOf(this.env).concurrentSends) : budget,
    );
    this.#alarm.claimed(answer.kind === "stale", now);
    await this.#settleUp(Date.now());
    return answer;
  }

  /**
   * What became of the deliveries a caller was let go: each outcome is logged and settled, and
   * what that releases (the next change of an entity) is answered, within `budget`. A report's
   * outcomes count whatever configuration the caller held: they happened.
   */
  async report(holder: Holder, report: Report, budget: number): Promise<Answer> {
    const now = Date.now();
    const config = configOf(this.env);
    const finished = report.finished ?? [];
    const entries = finished.map(({ entry }) => entry);
    this.#log.recordAll(entries);
    for (const { job, entry } of finished) {
      const outcome = outcomeOf(job, entry, config, Math.random, now);
      this.#ledger.settle(job, entry, outcome, now);
      recordAttempt(this.env, attemptPoint(job, entry, outcome.kind));
      if (entry.duration_ms <= config.slowLaneAfterMs) this.#slowUntil = 0;
      this.#heard(entry);
    }
    if (this.#grants.state?.active === false) this.#streak.stop();
    else this.#streak.note(entries);
    if (report.handedOff?.length) {
      this.#ledger.handedOff(report.handedOff, now);
      this.#slowUntil = now + SLOW_WEBHOOK_MS;
    }
    for (const { job, dueAt } of report.handedBack ?? []) this.#ledger.handBack(job, dueAt, now);
    if (report.closes !== undefined) this.#grants.close(report.closes);
    const answer = budget > 0 ? await this.#release(holder, budget) : this.#idle(holder);
    await this.#settleUp(Date.now());
    return answer;
  }

  /**
   * A request an admin asked for (test, redelivery) may go now under a lease; a failed delivery
   * sent again (`resend`) only if its turn has not passed, and it then counts for its entity's order.
   */
  async manual(holder: Holder, resend?: DeliveryJob): Promise<ManualAnswer> {
    // An admin waits for the request anyway: for the token too, however long its request takes.
    const auth =
      this.#grants.standing(holder) === "ok" && holder.auth
        ? await this.#tokens.obtain(holder.auth)
        : undefined;
    const now = Date.now();
    const standing = this.#grants.standing(holder);
    if (standing !== "ok") return { kind: standing };
    const lease = this.#grants.grant(now);
    const resending = resend ? this.#ledger.resend(resend, lease, now) : "go";
    if (resending !== "go") this.#grants.close(lease);
    await this.#settleUp(now);
    return resending === "go" ? { kind: "go", lease, ...(auth && { auth }) } : { kind: resending };
  }

  /**
   * What a manual request did (null: it was not sent after all): logged; a resent failed delivery
   * settled, recovered once delivered.
   */
  async manualDone(lease: number, entry: LogEntry | null, resent?: DeliveryJob): Promise<void> {
    const now = Date.now();
    if (entry) {
      this.#log.record(entry);
      this.#heard(entry);
    }
    if (resent) this.#ledger.resent({ ...resent, lease }, entry, now);
    this.#grants.close(lease);
    await this.#settleUp(now);
  }

  /**
   * The webhook was changed (PATCH, a secret rotation): from now on only callers holding this
   * configuration get deliveries. Answers once no delivery can start with an older one. Switched
   * off, what waits gets no more tries: it is recorded as failed at once (recover sends it again).
   */
  async configure(config: Configuration): Promise<void> {
    const now = Date.now();
    const waiting = this.#grants.configure(config, now);
    if (!config.state.active) {
      this.#ledger.failAll(config.state.disabled_reason ? "disabled" : "deactivated", now);
      this.#streak.stop();
    }
    await this.#settleUp(now);
    await waiting;
  }

  /** The webhook was deleted: lets nothing go again, and forgets everything once nothing can start. */
  async clear(): Promise<void> {
    if (this.#grants.deleted) return;
    const state = { active: false, disabled_reason: null, max_per_second: null };
    const tombstone = { version: Number.MAX_SAFE_INTEGER, state, deleted: true };
    await this.#grants.configure(tombstone, Date.now());
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#open();
    await this.#grants.configure(tombstone, Date.now());
    this.#alarm.forget();
  }

  /** Failed deliveries to send again: answers which were queued and which are superseded (by failed_id). */
  async recover(jobs: DeliveryJob[]): Promise<{ queued: string[]; superseded: string[] }> {
    const now = Date.now();
    const queued: string[] = [];
    const superseded: string[] = [];
    for (const job of jobs)
      (this.#ledger.recover(job, now) ? queued : superseded).push(job.failed_id ?? job.message_id);
    await this.#settleUp(now);
    return { queued, superseded };
  }

  /** What waits or is out now, oldest first, a page at a time. */
  pending(limit: number, after: PendingCursor | null): { items: PendingItem[]; next: PendingCursor | null } {
    return this.#ledger.pending(Date.now(), limit, after);
  }

  /** Every delivery waiting for a retry becomes due now (held ones still follow their entity's order). */
  async retryNow(): Promise<number> {
    const now = Date.now();
    const due = this.#ledger.retryNow(now);
    await this.#settleUp(now);
    return due;
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

  override async alarm(): Promise<void> {
    this.#alarm.forget();
    const now = Date.now();
    await this.#outbox.flushNotices(now);
    await this.#streak.check(now);
    if (this.#ledger.anyDue(now) && this.#tokens.pendingUntil === null) await this.#alarm.wake(now);
    await this.#settleUp(now);
  }

  /** Due deliveries for a caller whose configuration is current, under a new lease (and with the token). */
  async #release(holder: Holder, budget: number): Promise<Answer> {
    const { auth, dueBy } = await this.#sending(holder, true);
    const now = Date.now();
    const standing = this.#grants.standing(holder);
    if (standing !== "ok") return { kind: standing };
    if (auth === "pending") return { kind: "go", lease: 0, jobs: [] };
    const lease = this.#grants.grant(now);
    const jobs = this.#ledger.dispatch(this.#grants.state ?? holder.state, lease, now, budget, dueBy);
    if (jobs.length === 0) this.#grants.close(lease);
    return { kind: "go", lease, jobs, ...sentWith(auth, jobs) };
  }

  /**
   * What the deliveries let go to this caller now are sent with, if the webhook has endpoint
   * credentials (./tokens.ts decides); `waiting`: deliveries that wait, rather than new ones.
   */
  #sending(holder: Holder, waiting = false): Promise<Sending> {
    const state = this.#grants.state ?? holder.state;
    if (!holder.auth || this.#grants.standing(holder) !== "ok" || !state.active) return Promise.resolve({});
    const due = waiting ? (by: number) => this.#ledger.anyDue(Date.now(), by) : undefined;
    return this.#tokens.sending(holder.auth, configOf(this.env).slowLaneAfterMs, due);
  }

  /** A 401 from the receiver: the token that request carried is no good any more. */
  #heard(entry: LogEntry): void {
    if (entry.response?.status === 401) this.#tokens.discard(Date.parse(entry.created_at));
  }

  /** An answer that lets nothing go. */
  #idle(holder: Holder): Answer {
    const standing = this.#grants.standing(holder);
    return standing === "ok" ? { kind: "go", lease: 0, jobs: [] } : { kind: standing };
  }

  /** Writes what must reach D1 (failures, recovered marks, health) and sets the alarm for what is next. */
  async #settleUp(now: number): Promise<void> {
    const disabled = await this.#outbox.sync(this.#streak.take(), now);
    if (disabled) {
      this.#grants.disabled(disabled.version, disabled.reason);
      this.#ledger.failAll("disabled", now);
      this.#streak.stop();
      await this.#outbox.sync([], now);
    }
    await this.#schedule(now);
  }

  /** Sets the alarm for the next moment there is something to do. */
  #schedule(now: number): Promise<void> {
    const next = this.#ledger.nextTurn(this.#grants.state?.max_per_second ?? null, now);
    // While a token request is under way, nothing can go before it ends (then the alarm is set again).
    const turn = next === null ? null : Math.max(next, this.#tokens.pendingUntil ?? next);
    return this.#alarm.set(now, [this.#outbox.nextAt(now), this.#streak.nextAt(now)], turn);
  }

  #open(): void {
    const store = new WaitingStore(this.ctx.storage.sql);
    const webhookId = this.#webhookId();
    this.#log = new LogStore(this.ctx.storage.sql);
    this.#outbox = new Outbox(this.env, store, webhookId);
    this.#streak = new Streak(this.env, store, this.#outbox, webhookId);
    this.#ledger = new Ledger(store, leaseMs(this.env), (failure) => this.#superseded(failure));
    this.#grants = new Grants(store.configuration(), Date.now(), (config) => store.setConfiguration(config));
    this.#tokens = new Tokens(
      (source) => requestTokenOf(this.env, webhookId, source),
      () => this.#tokenRequestEnded(),
      tokenRequestMs(configOf(this.env)),
    );
  }

  /** Deliveries that waited for the token request are due now: the alarm wakes the deliveries consumer. */
  #tokenRequestEnded(): void {
    this.#schedule(Date.now()).catch((error) => {
      // The alarm is still set for the latest end of the request: what waited goes a little later.
      logWarn("alarm not moved after a token request; what waited goes a little later", error, {
        webhook_id: this.#webhookId(),
      });
    });
  }

  /** A delivery superseded by a newer change of its entity is never attempted: its metrics point says so. */
  #superseded(failure: NewFailure): void {
    if (failure.reason === "superseded") recordAttempt(this.env, supersededPoint(failure));
  }

  #webhookId(): string {
    const name = this.ctx.id.name;
    if (!name) throw new Error("a webhook's object must be addressed by the webhook's id");
    return name;
  }
}

/** The token (or the token request's failure) that jobs let go are sent with: none when none go. */
const sentWith = (auth: Sending["auth"], jobs: readonly DeliveryJob[]) =>
  auth && auth !== "pending" && jobs.length > 0 ? { auth } : {};
