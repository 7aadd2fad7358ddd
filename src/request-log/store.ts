// The request log in a webhook's Durable Object SQLite: ten fixed slots (see ./ring.ts), so that
// recording a request writes one row.
import { newestFirst, placeInRing, type SlotKey } from "./ring";
import type { LogEntry } from "./schemas";

export class LogStore {
  #keys: SlotKey[];
  #nextSeq: number;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS log (
      slot INTEGER PRIMARY KEY, seq INTEGER NOT NULL, id TEXT NOT NULL, created_at TEXT NOT NULL, entry TEXT NOT NULL)`);
    this.#keys = sql
      .exec<{ slot: number; seq: number; created_at: string }>("SELECT slot, seq, created_at FROM log")
      .toArray()
      .sort(newestFirst);
    this.#nextSeq = Math.max(-1, ...this.#keys.map((key) => key.seq)) + 1;
  }

  /** Records one request; it replaces the oldest of the 10 kept (or is dropped if older than all). */
  record(entry: LogEntry): void {
    const incoming = { created_at: entry.created_at, seq: this.#nextSeq++ };
    const place = placeInRing(this.#keys, incoming);
    if (place.kind === "drop") return;
    this.sql.exec(
      `INSERT INTO log (slot, seq, id, created_at, entry) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (slot) DO UPDATE SET seq = excluded.seq, id = excluded.id,
         created_at = excluded.created_at, entry = excluded.entry`,
      place.slot,
      incoming.seq,
      entry.id,
      entry.created_at,
      JSON.stringify(entry),
    );
    this.#keys = [...this.#keys.filter((key) => key.slot !== place.slot), { ...incoming, slot: place.slot }];
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
}
