// The deliveries of one webhook as its Durable Object keeps them: the order in memory (./lane.ts)
// and, for everything that waits, a row in the object's SQLite (./waiting-store.ts); pacing; the
// failed deliveries on their way to D1. Synchronous: the object calls it and persists nothing else.
import type { FailReason } from "../failed/schemas";
import type { NewFailure } from "../failed/storage";
import type { LogEntry } from "../request-log/schemas";
import type { WebhookState } from "./grants";
import { type DeliveryJob, summaryOf } from "./job";
import { Lane, type Waiting } from "./lane";
import { failureOf } from "./object-api";
import type { Outcome } from "./outcome";
import { Pacer } from "./pacer";
import { type PendingCursor, pendingPage } from "./pending";
import { type WaitingStore, waitKindOf } from "./waiting-store";

/** What a resend of a failed delivery may do: go now, or not (superseded; or its record is busy). */
export type Resend = "go" | "superseded" | "busy";

export class Ledger {
  #lane: Lane;
  #marked: Set<string>;
  #pacer = new Pacer();

  constructor(
    private readonly store: WaitingStore,
    private readonly leaseMs: number,
    /** Told of every delivery that failed for good (its metrics). */
    private readonly onFailed: (failure: NewFailure) => void,
  ) {
    const marks = store.marks();
    this.#marked = new Set(marks.map(([entity]) => entity));
    const delivered = marks.flatMap(([entity, seq]) =>
      seq === null ? [] : [[entity, seq] as [string, number]],
    );
    this.#lane = new Lane(store.waiting(), delivered);
  }

  /** A new change's delivery: "go" if it may go now (it is then out under `lease`); else kept, or failed. */
  admit(job: DeliveryJob, go: { mayGo: boolean; lease: number; state: WebhookState }, now: number): boolean {
    // A change that comes again while its delivery waits stays where it is; while it is out, it is
    // kept until that attempt's lease ends (then made again, unless the attempt reports back first).
    if (this.#lane.get(job.message_id)) return false;
    const out = this.#lane.flightOf(job.entity, job.message_id, now);
    if (out) {
      this.keep(job, out.until);
      return false;
    }
    const precedence = this.#lane.precedence(job.entity, job.seq, false, now);
    if (precedence === "done") return false; // delivered already: its change came again
    if (precedence === "superseded") {
      this.fail(job, "superseded", job.attempt - 1, now);
      return false;
    }
    const admission = this.#lane.admission(job.entity, now);
    const limit = go.state.max_per_second;
    if (admission === "free" && go.mayGo && this.#pacer.take(limit, now, job.message_id)) {
      this.#fly(job, go.lease, now);
      return true;
    }
    if (admission === "free") this.keep(job, go.mayGo ? this.#pacer.nextSlotAt(limit, now) : now);
    else this.keep(job, admission.dueAt, admission.heldBehind);
    return false;
  }

  /** Keeps a delivery waiting until `dueAt` (a retry, a hand-off, a recovered one), or updates it. */
  keep(job: DeliveryJob, dueAt: number, heldBehind?: string): void {
    const { lease, ...kept } = job;
    const row = this.#lane.get(job.message_id);
    if (row) {
      this.store.update(row.id, kept, dueAt);
      row.dueAt = dueAt;
      row.kind = waitKindOf(kept);
    } else this.#lane.add({ ...this.store.insert(kept, dueAt), heldBehind });
  }

  /**
   * Waiting deliveries due now (and by `dueBy`), in order, as many as pacing and `budget` allow;
   * each goes out under `lease`.
   */
  dispatch(state: WebhookState, lease: number, now: number, budget: number, dueBy = now): DeliveryJob[] {
    if (!state.active) {
      this.failAll(state.disabled_reason ? "disabled" : "deactivated", now);
      return [];
    }
    const jobs: DeliveryJob[] = [];
    for (const row of this.#lane.dispatchable(now, budget, dueBy)) {
      const job = this.store.job(row.id);
      if (this.#lane.precedence(row.entity, row.seq, false, now) !== "go") {
        this.#forget(row);
        this.fail(job, "superseded", job.attempt - 1, now);
      } else if (this.#pacer.take(state.max_per_second, now, row.messageId)) {
        jobs.push(this.#fly(job, lease, now));
      }
    }
    return jobs;
  }

  /**
   * An attempt came back: the delivery is done, waits for its retry, or failed for good. A report
   * under a lease that ended while the delivery was made again counts for its log only, unless it
   * says delivered: then the delivery is done, and the re-attempt's own report only lands it.
   */
  settle(job: DeliveryJob, entry: LogEntry, outcome: Outcome, now: number): void {
    this.#pacer.started(job.message_id, Date.parse(entry.created_at));
    const flight = this.#lane.flightOf(job.entity, job.message_id, now);
    const another = flight !== undefined && flight.lease !== job.lease;
    if (outcome.kind === "delivered") {
      if (another && flight) flight.moot = true;
      else this.#lane.land(job.entity, job.message_id, now);
      this.#forgetMessage(job.message_id);
      this.#done(job, entry, now);
      return;
    }
    if (another) return;
    this.#lane.land(job.entity, job.message_id, now);
    if (flight?.moot) return;
    if (outcome.kind === "retry") {
      this.keep(outcome.job, outcome.dueAt);
      return;
    }
    this.#forgetMessage(job.message_id);
    this.fail(outcome.job, outcome.reason, job.attempt, now);
    if (outcome.reason === "gone") this.failAll("disabled", now);
  }

  /** Exchanges under way that the slow lane took over: kept until their lease ends, then made again unless reported. */
  handedOff(jobs: readonly DeliveryJob[], now: number): void {
    for (const job of jobs) {
      const flight = this.#lane.flightOf(job.entity, job.message_id, now);
      if (flight && flight.lease === job.lease) this.keep(job, flight.until);
    }
  }

  /** A job let go but not sent after all: its entity is free again, and it waits until `dueAt`. */
  handBack(job: DeliveryJob, dueAt: number, now: number): void {
    const flight = this.#lane.flightOf(job.entity, job.message_id, now);
    if (flight && flight.lease !== job.lease) return;
    this.#lane.land(job.entity, job.message_id, now);
    this.keep(job, dueAt);
  }

  /** A failed delivery to send again in order with its entity's changes; false if its turn has passed. */
  recover(job: DeliveryJob, now: number): boolean {
    if (this.#lane.get(job.message_id) || this.#lane.flightOf(job.entity, job.message_id, now)) return true;
    if (this.#lane.precedence(job.entity, job.seq, true, now) !== "go") return false;
    this.keep(job, now);
    return true;
  }

  /** A failed delivery an admin sends again now: out under `lease` if its turn has not passed. */
  resend(job: DeliveryJob, lease: number, now: number): Resend {
    if (this.#lane.get(job.message_id) || this.#lane.flightOf(job.entity, job.message_id, now)) return "busy";
    if (this.#lane.precedence(job.entity, job.seq, true, now) !== "go") return "superseded";
    if (this.#lane.admission(job.entity, now) !== "free") return "busy";
    this.#fly(job, lease, now);
    return "go";
  }

  /** The resent failed delivery came back: its entity is free; delivered, it counts for the order. */
  resent(job: DeliveryJob, entry: LogEntry | null, now: number): void {
    if (this.#lane.flightOf(job.entity, job.message_id, now)?.lease === job.lease)
      this.#lane.land(job.entity, job.message_id, now);
    if (entry?.success) this.#done(job, entry, now);
  }

  /** Every delivery waiting for a retry becomes due now; answers how many. */
  retryNow(now: number): number {
    let due = 0;
    for (const row of this.#lane.all()) {
      if (this.#lane.stateOf(row, now).state !== "retry") continue;
      if (row.dueAt > now) this.store.reschedule(row.id, now);
      row.dueAt = Math.min(row.dueAt, now);
      due++;
    }
    return due;
  }

  /** A page of what waits or is out right now, by seq, after the cursor's delivery. */
  pending(now: number, limit: number, after: PendingCursor | null) {
    return pendingPage(this.#lane, (ids) => this.store.jobs(ids), { now, limit, after });
  }

  /** The delivery landed: it counts for its entity's order, and a recovered failure is recovered now. */
  #done(job: DeliveryJob, entry: LogEntry, now: number): void {
    this.#lane.noteDelivered(job.entity, job.seq);
    if (this.#marked.has(job.entity)) this.store.mark(job.entity, job.seq, now);
    if (job.failed_id === undefined) return;
    this.store.addToOutbox({ kind: "recovered", message_id: job.message_id, at: entry.created_at });
  }

  /** Records a failed delivery (on its way to D1) and remembers its entity for later precedence checks. */
  fail(job: DeliveryJob, reason: FailReason, attempts: number, now: number): void {
    const failure = failureOf(job, reason, attempts, now);
    this.store.addToOutbox({ kind: "failure", failure });
    this.store.mark(job.entity, this.#lane.deliveredSeq(job.entity) ?? null, now);
    this.#marked.add(job.entity);
    this.onFailed(failure);
  }

  /**
   * Every waiting delivery failed for good: the service disabled the webhook, or it was switched
   * off. One whose attempt is out is left to settle: it may yet be delivered, and if it is not, the
   * next dispatch (or the end of its lease) fails it then, with its attempts counted.
   */
  failAll(reason: "disabled" | "deactivated", now: number): void {
    for (const row of this.#lane.all()) {
      if (this.#lane.stateOf(row, now).state === "out") continue;
      const job = this.store.job(row.id);
      this.#forget(row);
      this.fail(job, reason, job.attempt - 1, now);
    }
  }

  /** Whether any waiting delivery may go now (and was due by `dueBy`). */
  anyDue(now: number, dueBy = now): boolean {
    return this.#lane.dispatchable(now, 1, dueBy).length > 0;
  }

  /** When the next waiting delivery may go, pacing included, or null. */
  nextTurn(limit: number | null, now: number): number | null {
    const due = this.#lane.nextDueAt(now);
    return due === null ? null : Math.max(due, this.#pacer.nextSlotAt(limit, now));
  }

  /** The job goes out now under `lease`: nothing else of its entity goes until it lands or the lease ends. */
  #fly(job: DeliveryJob, lease: number, now: number): DeliveryJob {
    const summary = summaryOf(job);
    this.#lane.fly(job.entity, {
      messageId: job.message_id,
      seq: job.seq,
      lease,
      until: now + this.leaseMs,
      summary,
    });
    return { ...job, lease };
  }

  #forgetMessage(messageId: string): void {
    const row = this.#lane.get(messageId);
    if (row) this.#forget(row);
  }

  #forget(row: Waiting): void {
    this.#lane.remove(row.messageId);
    this.store.remove(row.id);
  }
}
