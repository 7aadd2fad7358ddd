// The deliveries of one webhook as its Durable Object keeps them: the order in memory (./lane.ts)
// and, for everything that waits, a row in the object's SQLite (./waiting-store.ts); pacing; the
// failed deliveries on their way to D1. Synchronous: the object calls it and persists nothing else.
import type { FailReason } from "../failed/schemas";
import type { DeliveryJob } from "./job";
import { Lane, type Waiting } from "./lane";
import { type Finished, failureOf, type WebhookState } from "./object-api";
import { Pacer } from "./pacer";
import { WaitingStore } from "./waiting-store";

export class Ledger {
  readonly store: WaitingStore;
  #lane: Lane;
  #marked: Set<string>;
  #pacer = new Pacer();
  /** The latest max_per_second a caller told (null until one did). */
  #limit: number | null = null;
  /** Whether failed deliveries wait in the outbox for D1. */
  outboxPending: boolean;

  constructor(
    sql: SqlStorage,
    private readonly leaseMs: number,
  ) {
    this.store = new WaitingStore(sql);
    const marks = this.store.marks();
    this.#marked = new Set(marks.map(([entity]) => entity));
    const delivered = marks.flatMap(([entity, seq]) =>
      seq === null ? [] : [[entity, seq] as [string, number]],
    );
    this.#lane = new Lane(this.store.waiting(), delivered);
    this.outboxPending = this.store.hasFailures();
  }

  /** What a caller knows of the webhook: its pacing applies from now on. */
  told(state: WebhookState): void {
    this.#limit = state.max_per_second;
  }

  /** A new change's delivery: true if it may go now (it is then out); else it is kept, or failed. */
  admit(job: DeliveryJob, mayGo: boolean, now: number): boolean {
    // A change that comes again while its delivery is out waits behind that delivery's lease.
    if (this.#lane.get(job.message_id)) return false;
    if (this.#lane.isSuperseded(job.entity, job.seq)) {
      this.fail(job, "superseded", job.attempt - 1, now);
      return false;
    }
    const admission = this.#lane.admission(job.entity, now);
    if (admission === "free" && mayGo && this.#pacer.take(this.#limit, now, job.message_id)) {
      this.#lane.fly(job.entity, job.message_id, now + this.leaseMs);
      return true;
    }
    if (admission === "free") this.keep(job, mayGo ? this.#pacer.nextSlotAt(this.#limit, now) : now);
    else this.keep(job, admission.dueAt, admission.heldBehind);
    return false;
  }

  /** Keeps a delivery waiting until `dueAt` (a retry, a hand-off, a recovered one), or updates it. */
  keep(job: DeliveryJob, dueAt: number, heldBehind?: string): void {
    const row = this.#lane.get(job.message_id);
    if (row) {
      this.store.update(row.id, job, dueAt);
      this.#lane.reschedule(row.messageId, dueAt);
    } else this.#lane.add({ ...this.store.insert(job, dueAt), heldBehind });
  }

  /** An attempt came back: the delivery is done, waits for its retry, or failed for good. */
  settle({ job, entry, outcome }: Finished, now: number): void {
    this.#pacer.started(job.message_id, Date.parse(entry.created_at));
    this.#lane.land(job.entity, job.message_id, now);
    if (outcome.kind === "retry") {
      this.keep(outcome.job, outcome.dueAt);
      return;
    }
    const row = this.#lane.get(job.message_id);
    if (row) this.forget(row);
    if (outcome.kind === "delivered") this.delivered(job.entity, job.seq, now);
    else this.fail(job, outcome.reason, job.attempt, now);
    if (outcome.kind === "failed" && outcome.reason === "gone") this.failAll("disabled", now);
  }

  /** A delivery an attempt is out for until `until` (the slow lane, or a failure on our side). */
  out(job: DeliveryJob, until: number): void {
    this.keep(job, until);
    this.#lane.fly(job.entity, job.message_id, until);
  }

  /** A failed delivery to send again; false if a newer change of its entity was delivered since. */
  recover(job: DeliveryJob, now: number): boolean {
    if (this.#lane.isSuperseded(job.entity, job.seq)) return false;
    if (!this.#lane.get(job.message_id)) this.keep(job, now);
    return true;
  }

  isSuperseded(entity: string, seq: number): boolean {
    return this.#lane.isSuperseded(entity, seq);
  }

  /** Waiting deliveries due now, in order, as many as pacing and `budget` allow; each goes out. */
  dispatch(state: WebhookState, now: number, budget: number): DeliveryJob[] {
    if (!state.active) {
      if (state.disabled_reason) this.failAll("disabled", now);
      else this.failAll("deactivated", now); // switched off by hand: no more tries, but on record for recover
      return [];
    }
    const jobs: DeliveryJob[] = [];
    for (const row of this.#lane.dispatchable(now, budget)) {
      const job = this.store.job(row.id);
      if (this.#lane.isSuperseded(row.entity, row.seq)) {
        this.forget(row);
        this.fail(job, "superseded", job.attempt - 1, now);
      } else if (this.#pacer.take(this.#limit, now, row.messageId)) {
        this.#lane.fly(row.entity, row.messageId, now + this.leaseMs);
        jobs.push(job);
      }
    }
    return jobs;
  }

  delivered(entity: string, seq: number, now: number): void {
    this.#lane.noteDelivered(entity, seq);
    if (this.#marked.has(entity)) this.store.mark(entity, seq, now);
  }

  /** Records a failed delivery (on its way to D1) and remembers its entity for later superseded checks. */
  fail(job: DeliveryJob, reason: FailReason, attempts: number, now: number): void {
    this.store.addFailure(failureOf(job, reason, attempts, now));
    this.outboxPending = true;
    this.store.mark(job.entity, this.#lane.deliveredSeq(job.entity) ?? null, now);
    this.#marked.add(job.entity);
  }

  /**
   * Every waiting delivery failed for good: the service disabled the webhook, or it was switched
   * off. One whose attempt is out is left to settle: it may yet be delivered, and if it is not, the
   * next dispatch (or the end of its lease) fails it then, with its attempts counted.
   */
  failAll(reason: "disabled" | "deactivated", now: number): void {
    for (const row of this.#lane.all()) {
      if (this.#lane.isOut(row, now)) continue;
      const job = this.store.job(row.id);
      this.forget(row);
      this.fail(job, reason, job.attempt - 1, now);
    }
  }

  /** Whether any waiting delivery may go now. */
  anyDue(now: number): boolean {
    return this.#lane.dispatchable(now, 1).length > 0;
  }

  /** When the next waiting delivery may go, pacing included, or null. */
  nextTurn(now: number): number | null {
    const due = this.#lane.nextDueAt(now);
    return due === null ? null : Math.max(due, this.#pacer.nextSlotAt(this.#limit, now));
  }

  private forget(row: Waiting): void {
    this.#lane.remove(row.messageId);
    this.store.remove(row.id);
  }
}
