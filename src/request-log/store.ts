// The request log in a webhook's Durable Object SQLite: ten fixed slots (see ./ring.ts), so that
// recording a request writes one row (requests recorded together: at most ten, in one statement);
// that row also carries the hour's activity so far, so that counting costs no row of its own (a
// finished hour is kept in `activity`, one row an hour).
import { ACTIVITY_HOURS, countRequest, emptyHour, HOUR_MS, type HourCounts, hourOf } from "./activity";
import { newestFirst, placeInRing, type SlotKey } from "./ring";
import type { LogEntry } from "./schemas";

export class LogStore {
  #keys: SlotKey[];
  #nextSeq: number;
  /** The hour under way, as counted so far. */
  #current: HourCounts;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS log (
      slot INTEGER PRIMARY KEY, seq INTEGER NOT NULL, id TEXT NOT NULL, created_at TEXT NOT NULL, entry TEXT NOT NULL,
      activity TEXT)`);
    // Logs kept before activity was counted lack the column.
    const columns = sql.exec<{ name: string }>("PRAGMA table_info(log)").toArray();
    if (!columns.some((c) => c.name === "activity")) sql.exec("ALTER TABLE log ADD COLUMN activity TEXT");
    sql.exec("CREATE TABLE IF NOT EXISTS activity (hour INTEGER PRIMARY KEY, counts TEXT NOT NULL)");
    const rows = sql
      .exec<{ slot: number; seq: number; created_at: string; activity: string | null }>(
        "SELECT slot, seq, created_at, activity FROM log",
      )
      .toArray();
    this.#keys = rows.map(({ slot, seq, created_at }) => ({ slot, seq, created_at })).sort(newestFirst);
    this.#nextSeq = Math.max(-1, ...this.#keys.map((key) => key.seq)) + 1;
    const latest = rows.reduce<(typeof rows)[number] | undefined>(
      (a, r) => (!a || r.seq > a.seq ? r : a),
      undefined,
    );
    this.#current = latest?.activity ? (JSON.parse(latest.activity) as HourCounts) : emptyHour(0);
  }

  /** Records one request; it replaces the oldest of the 10 kept (or is dropped if older than all). */
  record(entry: LogEntry): void {
    this.recordAll([entry]);
  }

  /**
   * Records requests in this order, each as record() would. Each slot is written once, with the
   * request it ends up holding: the writes of one call are one transaction, so a request that a
   * later one of the same call replaces never needs a row of its own (it is counted all the same).
   */
  recordAll(entries: readonly LogEntry[]): void {
    const placed = new Map<number, { seq: number; entry: LogEntry }>();
    for (const entry of entries) {
      this.#count(entry);
      const incoming = { created_at: entry.created_at, seq: this.#nextSeq++ };
      const place = placeInRing(this.#keys, incoming);
      if (place.kind === "drop") continue;
      placed.set(place.slot, { seq: incoming.seq, entry });
      this.#keys = [
        ...this.#keys.filter((key) => key.slot !== place.slot),
        { ...incoming, slot: place.slot },
      ];
    }
    if (placed.size === 0) return;
    // One statement for all of them (at most 10 rows of 6 values: within a statement's 100 bound
    // values): each statement costs the object a step into SQLite of its own.
    const rows = [...placed];
    const activity = JSON.stringify(this.#current);
    this.sql.exec(
      `INSERT INTO log (slot, seq, id, created_at, entry, activity) VALUES ${rows.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}
       ON CONFLICT (slot) DO UPDATE SET seq = excluded.seq, id = excluded.id,
         created_at = excluded.created_at, entry = excluded.entry, activity = excluded.activity`,
      ...rows.flatMap(([slot, { seq, entry }]) => [
        slot,
        seq,
        entry.id,
        entry.created_at,
        JSON.stringify(entry),
        activity,
      ]),
    );
  }

  /** The kept requests, newest first. */
  list(): LogEntry[] {
    return this.sql
      .exec<{ entry: string }>("SELECT entry FROM log ORDER BY created_at DESC, seq DESC")
      .toArray()
      .map((row) => JSON.parse(row.entry) as LogEntry);
  }

  get(id: string): LogEntry | null {
    const row = this.sql.exec<{ entry: string }>("SELECT entry FROM log WHERE id = ?", id).toArray()[0];
    return row ? (JSON.parse(row.entry) as LogEntry) : null;
  }

  /** Every hour of activity kept, the one under way included. */
  hours(): HourCounts[] {
    const kept = this.sql
      .exec<{ counts: string }>("SELECT counts FROM activity ORDER BY hour")
      .toArray()
      .map((row) => JSON.parse(row.counts) as HourCounts);
    return [...kept, this.#current];
  }

  /** Counts a request in its hour: the one under way, a new one (the finished hour is kept), or a past one. */
  #count(entry: LogEntry): void {
    const hour = hourOf(Date.parse(entry.created_at));
    if (hour > this.#current.hour) {
      if (this.#current.delivered + this.#current.failed > 0) this.#keep(this.#current);
      this.sql.exec("DELETE FROM activity WHERE hour < ?", hour - ACTIVITY_HOURS * HOUR_MS);
      this.#current = emptyHour(hour);
    }
    if (hour === this.#current.hour) {
      countRequest(this.#current, entry.success, entry.duration_ms);
      return;
    }
    // A request of an hour already over (it was slow to report): counted into that hour's row.
    const row = this.sql
      .exec<{ counts: string }>("SELECT counts FROM activity WHERE hour = ?", hour)
      .toArray()[0];
    const past = row ? (JSON.parse(row.counts) as HourCounts) : emptyHour(hour);
    countRequest(past, entry.success, entry.duration_ms);
    this.#keep(past);
  }

  #keep(counts: HourCounts): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO activity (hour, counts) VALUES (?, ?)",
      counts.hour,
      JSON.stringify(counts),
    );
  }
}
