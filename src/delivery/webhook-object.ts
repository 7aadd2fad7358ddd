// One Durable Object per webhook: the one place that sees every delivery of its webhook. It keeps
// the order of each entity's changes (./lane.ts), every delivery that waits — for a retry, for an
// earlier change of its entity, for its turn under max_per_second, or handed off by a slow batch —
// in its SQLite, and the request log. The consumers make the attempts: they ask it what may go
// (begin, claim), send, and report back (finish). Its alarm wakes the deliveries consumer when
// waiting work is due and writes failed deliveries to D1.
import { DurableObject } from "cloudflare:workers";
import { RETENTION_DAYS } from "../failed/schemas";
import { recordFailure } from "../failed/storage";
import type { WakeMessage } from "../messages/queue";
import { type ActivityBucket, activityBuckets } from "../request-log/activity";
import type { LogEntry } from "../request-log/schemas";
import { LogStore } from "../request-log/store";
import type { DeliveryJob } from "./job";
import { Lane } from "./lane";
import { type Finished, failureOf, leaseMs, type WebhookState } from "./object-api";
import { Pacer } from "./pacer";
import { WaitingStore } from "./waiting-store";

/** A wake-up not answered by a claim within this long is sent again (it may have been lost). */
export const WAKE_RETRY_MS = 15_000;
/** A failed write of failed deliveries to D1 is tried again after this long. */
const OUTBOX_RETRY_MS = 30_000;
const DAY_MS = 24 * 3600 * 1000;

export class WebhookObject extends DurableObject<Env> {
  #log!: LogStore;
  #store!: WaitingStore;
  #lane!: Lane;
  #marked!: Set<string>;
  #pacer = new Pacer();
  /** The latest max_per_second a caller told (null until one did). */
  #limit: number | null = null;
  #alarmAt: number | null = null;
  #wakeSentAt: number | null = null;
  #outboxRetryAt: number | null = null;
  /** Whether failed deliveries wait in the outbox for D1. */
  #outboxPending = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#open();
    ctx.blockConcurrencyWhile(async () => {
      this.#alarmAt = await ctx.storage.getAlarm();
    });
  }

  /** New changes from the fan-out: answers those to send now; keeps the rest (held, paced, beyond `budget`). */
  async begin(state: WebhookState, jobs: DeliveryJob[], budget: number): Promise<DeliveryJob[]> {
    const now = Date.now();
    this.#limit = state.max_per_second;
    if (!state.active) {
      if (state.disabled_reason) for (const job of jobs) this.#fail(job, "disabled", job.attempt - 1, now);
      await this.#schedule(now);
      return [];
    }
    const go: DeliveryJob[] = [];
    for (const job of [...jobs].sort((a, b) => a.seq - b.seq)) {
      // A change that comes again while its delivery is out waits behind that delivery's lease.
      if (this.#lane.get(job.message_id)) continue;
      if (this.#lane.isSuperseded(job.entity, job.seq)) {
        this.#fail(job, "superseded", job.attempt - 1, now);
        continue;
      }
      const admission = this.#lane.admission(job.entity, now);
      if (admission === "free" && go.length < budget && this.#pacer.take(this.#limit, 1, now) === 1) {
        this.#lane.fly(job.entity, job.message_id, now + leaseMs(this.env));
        go.push(job);
        continue;
      }
      const dueAt = admission === "free" ? this.#pacer.nextSlotAt(this.#limit, now) : admission.dueAt;
      const heldBehind = admission === "free" ? undefined : admission.heldBehind;
      this.#lane.add({ ...this.#store.insert(job, dueAt), heldBehind });
    }
    await this.#schedule(now);
    return go;
  }

  /** Waiting deliveries that are due, for the deliveries consumer the alarm woke. */
  async claim(state: WebhookState, budget: number): Promise<DeliveryJob[]> {
    const now = Date.now();
    this.#limit = state.max_per_second;
    this.#wakeSentAt = null;
    const jobs = this.#dispatch(state, now, budget);
    await this.#schedule(now);
    return jobs;
  }

  /** What became of the attempts: logs them, settles each delivery, answers what that released. */
  async finish(state: WebhookState, results: Finished[], budget: number): Promise<DeliveryJob[]> {
    const now = Date.now();
    this.#limit = state.max_per_second;
    for (const { job, entry, outcome } of results) {
      this.#log.record(entry);
      this.#lane.land(job.entity, job.message_id, now);
      const row = this.#lane.get(job.message_id);
      if (outcome.kind === "retry") {
        if (row) {
          this.#store.update(row.id, outcome.job, outcome.dueAt);
          this.#lane.reschedule(row.messageId, outcome.dueAt);
        } else this.#lane.add(this.#store.insert(outcome.job, outcome.dueAt));
        continue;
      }
      if (row) this.#forget(row.messageId, row.id);
      if (outcome.kind === "delivered") this.#delivered(job.entity, job.seq, now);
      else this.#fail(job, outcome.reason, job.attempt, now);
      if (outcome.kind === "failed" && outcome.reason === "gone") this.#failWaiting("disabled", now);
    }
    const next = this.#dispatch(state, now, budget);
    await this.#schedule(now);
    return next;
  }

  /**
   * Attempts a batch stopped waiting for (the slow lane), or could not make (a failure on our
   * side): kept until `until`, when they are made again unless reported finished by then.
   */
  async handOff(jobs: DeliveryJob[], until: number): Promise<void> {
    const now = Date.now();
    for (const job of jobs) {
      const row = this.#lane.get(job.message_id);
      if (row) {
        this.#store.update(row.id, job, until);
        this.#lane.reschedule(row.messageId, until);
      } else this.#lane.add(this.#store.insert(job, until));
      this.#lane.fly(job.entity, job.message_id, until);
    }
    await this.#schedule(now);
  }

  /** Failed deliveries to send again: answers which were queued and which are superseded (by failed_id). */
  async recover(jobs: DeliveryJob[]): Promise<{ queued: string[]; superseded: string[] }> {
    const now = Date.now();
    const queued: string[] = [];
    const superseded: string[] = [];
    for (const job of jobs) {
      const into = this.#lane.isSuperseded(job.entity, job.seq) ? superseded : queued;
      into.push(job.failed_id ?? job.message_id);
      if (into === queued && !this.#lane.get(job.message_id)) {
        this.#lane.add(this.#store.insert(job, now));
      }
    }
    await this.#schedule(now);
    return { queued, superseded };
  }

  isSuperseded(entity: string, seq: number): boolean {
    return this.#lane.isSuperseded(entity, seq);
  }

  /** Logs a request an admin asked for (test, redelivery); `delivered` when it delivered a change. */
  record(entry: LogEntry, delivered?: { entity: string; seq: number }): void {
    this.#log.record(entry);
    if (delivered) this.#delivered(delivered.entity, delivered.seq, Date.now());
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

  /** How many deliveries wait here. */
  waitingCount(): number {
    return this.#lane.size;
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
    const due = this.#lane.dispatchable(now, 1).length > 0;
    if (due && (this.#wakeSentAt === null || now - this.#wakeSentAt >= WAKE_RETRY_MS)) {
      try {
        await this.env.DELIVERIES.send(
          { type: "wake", webhook_id: this.#webhookId() } satisfies WakeMessage,
          {
            contentType: "json",
          },
        );
        this.#wakeSentAt = now;
      } catch (error) {
        logError("wake-up could not be queued", error);
      }
    }
    await this.#schedule(now);
  }

  #open(): void {
    this.#log = new LogStore(this.ctx.storage.sql);
    this.#store = new WaitingStore(this.ctx.storage.sql);
    const marks = this.#store.marks();
    this.#marked = new Set(marks.map(([entity]) => entity));
    const delivered = marks.flatMap(([entity, seq]) =>
      seq === null ? [] : [[entity, seq] as [string, number]],
    );
    this.#lane = new Lane(this.#store.waiting(), delivered);
    this.#outboxPending = this.#store.hasFailures();
  }

  #webhookId(): string {
    const name = this.ctx.id.name;
    if (!name) throw new Error("a webhook's object must be addressed by the webhook's id");
    return name;
  }

  /** Waiting deliveries due now, in order, as many as pacing and `budget` allow; each goes out. */
  #dispatch(state: WebhookState, now: number, budget: number): DeliveryJob[] {
    if (!state.active) {
      if (state.disabled_reason) this.#failWaiting("disabled", now);
      else for (const row of this.#lane.all()) this.#forget(row.messageId, row.id); // switched off by hand
      return [];
    }
    const jobs: DeliveryJob[] = [];
    for (const row of this.#lane.dispatchable(now, budget)) {
      const job = this.#store.job(row.id);
      if (this.#lane.isSuperseded(row.entity, row.seq)) {
        this.#forget(row.messageId, row.id);
        this.#fail(job, "superseded", job.attempt - 1, now);
      } else if (this.#pacer.take(this.#limit, 1, now) === 1) {
        this.#lane.fly(row.entity, row.messageId, now + leaseMs(this.env));
        jobs.push(job);
      }
    }
    return jobs;
  }

  #forget(messageId: string, id: number): void {
    this.#lane.remove(messageId);
    this.#store.remove(id);
  }

  #delivered(entity: string, seq: number, now: number): void {
    this.#lane.noteDelivered(entity, seq);
    if (this.#marked.has(entity)) this.#store.mark(entity, seq, now);
  }

  /** Records a failed delivery (on its way to D1) and remembers its entity for later superseded checks. */
  #fail(job: DeliveryJob, reason: Parameters<typeof failureOf>[1], attempts: number, now: number): void {
    this.#store.addFailure(failureOf(job, reason, attempts, now));
    this.#outboxPending = true;
    this.#store.mark(job.entity, this.#lane.deliveredSeq(job.entity) ?? null, now);
    this.#marked.add(job.entity);
  }

  #failWaiting(reason: "disabled", now: number): void {
    for (const row of this.#lane.all()) {
      const job = this.#store.job(row.id);
      this.#forget(row.messageId, row.id);
      this.#fail(job, reason, job.attempt - 1, now);
    }
  }

  async #flushOutbox(now: number): Promise<void> {
    if (this.#outboxRetryAt !== null && this.#outboxRetryAt > now) return;
    try {
      for (let rows = this.#store.failures(100); rows.length > 0; rows = this.#store.failures(100)) {
        await this.env.DB.batch(rows.map(({ failure }) => recordFailure(this.env.DB, failure)));
        this.#store.removeFailures(rows.map(({ id }) => id));
      }
      this.#outboxRetryAt = null;
      this.#outboxPending = false;
      this.#store.forgetMarks(now - RETENTION_DAYS * DAY_MS);
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
    if (this.#outboxPending) candidates.push(Math.max(now, this.#outboxRetryAt ?? now));
    const due = this.#lane.nextDueAt(now);
    if (due !== null) {
      const turn = Math.max(due, this.#pacer.nextSlotAt(this.#limit, now));
      const waking = this.#wakeSentAt !== null && turn <= now;
      candidates.push(waking ? (this.#wakeSentAt as number) + WAKE_RETRY_MS : turn);
    }
    return candidates.length > 0 ? Math.min(...candidates) : null;
  }
}

function logError(msg: string, error: unknown): void {
  console.error(JSON.stringify({ level: "error", msg, error: String(error) }));
}
