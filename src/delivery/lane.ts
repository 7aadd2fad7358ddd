// The order of one webhook's deliveries, in memory: which are waiting in storage, which are out
// right now (each under a lease, its fence), and what may go next. Pure (the clock is passed in);
// the webhook's Durable Object (./webhook-object.ts) keeps it and writes what it decides.
//
// The rules: per entity, at most one delivery is out at a time; the next one to go is the
// waiting delivery with the lowest seq, once it is due. Whether an older change may still go is
// answered by precedence() alone.
import type { JobSummary } from "./job";

/** Why a kept delivery waits, as far as its own past goes (being held is a matter of its entity). */
export type WaitKind =
  /** A failed attempt (or a recovered failed delivery, or one that failed on our side): its next one is scheduled. */
  | "retry"
  /** Never attempted: waiting for its turn (max_per_second, the invocation's budget, a slow webhook). */
  | "turn";

/** A delivery kept in storage. */
export interface Waiting {
  id: number;
  messageId: string;
  entity: string;
  seq: number;
  /** Not before this time (epoch ms). */
  dueAt: number;
  kind: WaitKind;
  /**
   * Held behind this delivery of its entity that is out: due as soon as that one lands (its stored
   * due time, the end of that one's lease, counts only if this object restarts meanwhile).
   */
  heldBehind?: string;
}

/** The delivery of an entity that is out: nothing else of that entity goes until it lands or `until` passes. */
export interface Flight {
  messageId: string;
  seq: number;
  /** The fence of the grant that let it go: a report under another lease is not this attempt's. */
  lease: number;
  until: number;
  /** A report under an ended lease said it was delivered: this attempt's own report only lands it. */
  moot?: boolean;
  /** What the list of pending deliveries shows of it. */
  summary: JobSummary;
}

/**
 * May a change of an entity (its seq) still go? "go", "done" (this very change was delivered
 * already) or "superseded" (a newer change of the entity was delivered). For a failed delivery
 * that an admin sends again (recover, redeliver) a newer change that is out or waits supersedes it
 * too: its turn has passed, and the receiver must not end on it.
 */
type Precedence = "go" | "done" | "superseded";

/** How many entities' last delivered seq are remembered in memory (those with failures are also stored). */
export const REMEMBERED_ENTITIES = 10_000;

export class Lane {
  #waiting = new Map<string, Waiting>();
  #byEntity = new Map<string, Waiting[]>();
  #flights = new Map<string, Flight>();
  #delivered = new Map<string, number>();

  constructor(waiting: Iterable<Waiting> = [], delivered: Iterable<[string, number]> = []) {
    for (const row of waiting) this.add(row);
    for (const [entity, seq] of delivered) this.noteDelivered(entity, seq);
  }

  get(messageId: string): Waiting | undefined {
    return this.#waiting.get(messageId);
  }

  /** The one answer to "may this change still go?" (see Precedence). */
  precedence(entity: string, seq: number, resent: boolean, now: number): Precedence {
    const delivered = this.#delivered.get(entity);
    if (delivered !== undefined && seq < delivered) return "superseded";
    if (delivered === seq) return "done";
    if (!resent) return "go";
    const flight = this.#activeFlight(entity, now);
    const newer = (flight && flight.seq > seq) || (this.#byEntity.get(entity) ?? []).some((r) => r.seq > seq);
    return newer ? "superseded" : "go";
  }

  deliveredSeq(entity: string): number | undefined {
    return this.#delivered.get(entity);
  }

  /**
   * Whether a new delivery of `entity` may go at once ("free"), or must be stored to wait: behind
   * a delivery of it that is out (due when that one lands, or its lease ends if it never reports
   * back) or behind one waiting (its turn comes by seq).
   */
  admission(entity: string, now: number): "free" | { dueAt: number; heldBehind?: string } {
    const flight = this.#activeFlight(entity, now);
    if (flight) return { dueAt: flight.until, heldBehind: flight.messageId };
    if (this.#byEntity.has(entity)) return { dueAt: now };
    return "free";
  }

  add(row: Waiting): void {
    this.#waiting.set(row.messageId, row);
    const rows = this.#byEntity.get(row.entity) ?? [];
    rows.push(row);
    rows.sort((a, b) => a.seq - b.seq);
    this.#byEntity.set(row.entity, rows);
  }

  remove(messageId: string): Waiting | undefined {
    const row = this.#waiting.get(messageId);
    if (!row) return undefined;
    this.#waiting.delete(messageId);
    const rows = (this.#byEntity.get(row.entity) ?? []).filter((r) => r.messageId !== messageId);
    if (rows.length > 0) this.#byEntity.set(row.entity, rows);
    else this.#byEntity.delete(row.entity);
    return row;
  }

  /** A delivery of `entity` goes out now; nothing else of it goes until it lands or its lease ends. */
  fly(entity: string, flight: Flight): void {
    this.#flights.set(entity, flight);
  }

  /** The flight of this very delivery, if it is out (whichever lease it is out under). */
  flightOf(entity: string, messageId: string, now: number): Flight | undefined {
    const flight = this.#activeFlight(entity, now);
    return flight?.messageId === messageId ? flight : undefined;
  }

  /** The delivery came back (whatever its outcome): its entity is free, and what was held behind it due. */
  land(entity: string, messageId: string, now: number): void {
    if (this.#flights.get(entity)?.messageId === messageId) this.#flights.delete(entity);
    for (const row of this.#byEntity.get(entity) ?? []) {
      if (row.heldBehind !== messageId) continue;
      row.heldBehind = undefined;
      row.dueAt = Math.min(row.dueAt, now);
    }
  }

  noteDelivered(entity: string, seq: number): void {
    const known = this.#delivered.get(entity);
    this.#delivered.delete(entity);
    this.#delivered.set(entity, known === undefined ? seq : Math.max(known, seq));
    if (this.#delivered.size > REMEMBERED_ENTITIES) {
      this.#delivered.delete(this.#delivered.keys().next().value as string);
    }
  }

  /**
   * The deliveries that may go now, oldest due first: per entity the lowest seq, if nothing of it
   * is out, and if it was due by `dueBy` (default: now).
   */
  dispatchable(now: number, limit: number, dueBy = now): Waiting[] {
    const heads: Waiting[] = [];
    for (const [entity, rows] of this.#byEntity) {
      const head = rows[0] as Waiting;
      if (head.dueAt <= Math.min(now, dueBy) && !this.#activeFlight(entity, now)) heads.push(head);
    }
    return heads.sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq).slice(0, Math.max(0, limit));
  }

  /** When the next waiting delivery can go (a due time, or the end of a lease that blocks it), or null. */
  nextDueAt(now: number): number | null {
    let next: number | null = null;
    for (const [entity, rows] of this.#byEntity) {
      const head = rows[0] as Waiting;
      const flight = this.#activeFlight(entity, now);
      const at = flight ? Math.max(flight.until, head.dueAt) : head.dueAt;
      if (next === null || at < next) next = at;
    }
    return next;
  }

  /** Every waiting delivery, by seq. */
  all(): Waiting[] {
    return [...this.#waiting.values()].sort((a, b) => a.seq - b.seq);
  }

  /** The deliveries out right now, by entity. */
  flights(now: number): [string, Flight][] {
    return [...this.#flights.keys()].flatMap((entity) => {
      const flight = this.#activeFlight(entity, now);
      return flight ? [[entity, flight] as [string, Flight]] : [];
    });
  }

  /** Why a kept delivery is not going right now (see ./pending.ts), and what it waits behind. */
  stateOf(row: Waiting, now: number): { state: "out" | "held" | WaitKind; behind?: string } {
    const flight = this.#activeFlight(row.entity, now);
    if (flight?.messageId === row.messageId) return { state: "out" };
    if (flight) return { state: "held", behind: flight.messageId };
    const rows = this.#byEntity.get(row.entity) ?? [];
    const before = rows[rows.indexOf(row) - 1];
    if (before) return { state: "held", behind: before.messageId };
    return { state: row.kind };
  }

  #activeFlight(entity: string, now: number): Flight | undefined {
    const flight = this.#flights.get(entity);
    if (flight && flight.until <= now) {
      this.#flights.delete(entity);
      return undefined;
    }
    return flight;
  }
}
