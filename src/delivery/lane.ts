// The order of one webhook's deliveries, in memory: which are waiting in storage, which are out
// right now, and what may go next. Pure (the clock is passed in); the webhook's Durable Object
// (./webhook-object.ts) keeps it and writes what it decides.
//
// The rules: per entity, at most one delivery is out at a time; the next one to go is the
// waiting delivery with the lowest seq, once it is due. A change older than one already
// delivered to the webhook never goes out (it is superseded).

/** A delivery kept in storage: a retry, a change held behind an earlier one, paced, handed off, recovered. */
export interface Waiting {
  id: number;
  messageId: string;
  entity: string;
  seq: number;
  /** Not before this time (epoch ms). */
  dueAt: number;
  /**
   * Held behind this delivery of its entity that is out: due as soon as that one lands (its stored
   * due time, the end of that one's lease, counts only if this object restarts meanwhile).
   */
  heldBehind?: string;
}

/** The delivery of an entity that is out: nothing else of that entity goes until it lands or `until` passes. */
interface Flight {
  messageId: string;
  until: number;
}

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

  get size(): number {
    return this.#waiting.size;
  }

  get(messageId: string): Waiting | undefined {
    return this.#waiting.get(messageId);
  }

  /** Whether a change of `entity` with this seq is older than one already delivered. */
  isSuperseded(entity: string, seq: number): boolean {
    const delivered = this.#delivered.get(entity);
    return delivered !== undefined && seq < delivered;
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

  reschedule(messageId: string, dueAt: number): void {
    const row = this.#waiting.get(messageId);
    if (row) row.dueAt = dueAt;
  }

  /** A delivery of `entity` goes out now; nothing else of it goes until it lands or `until` passes. */
  fly(entity: string, messageId: string, until: number): void {
    this.#flights.set(entity, { messageId, until });
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

  /** The deliveries that may go now, oldest due first: per entity the lowest seq, if nothing of it is out. */
  dispatchable(now: number, limit: number): Waiting[] {
    const heads: Waiting[] = [];
    for (const [entity, rows] of this.#byEntity) {
      const head = rows[0] as Waiting;
      if (head.dueAt <= now && !this.#activeFlight(entity, now)) heads.push(head);
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

  /** Every waiting delivery (for failing them all). */
  all(): Waiting[] {
    return [...this.#waiting.values()];
  }

  /** Whether the kept delivery is out right now (an attempt handed off, its lease running). */
  isOut(row: Waiting, now: number): boolean {
    return this.#activeFlight(row.entity, now)?.messageId === row.messageId;
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
