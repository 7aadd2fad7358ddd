// One object per webhook: the ring of its 10 most recent requests, in the object's SQLite.
import { DurableObject } from "cloudflare:workers";
import { newestFirst, placeInRing, type SlotKey } from "./ring";
import type { LogEntry } from "./schemas";

const SETTLED_KEPT_MS = 24 * 60 * 60 * 1000;

export class RequestLog extends DurableObject<Env> {
  #keys: SlotKey[] | null = null;
  #nextSeq = 0;

  /** Records one request; it replaces the oldest of the 10 kept (or is dropped if older than all). */
  record(entry: LogEntry): void {
    const keys = this.#load();
    const incoming = { created_at: entry.created_at, seq: this.#nextSeq++ };
    const place = placeInRing(keys, incoming);
    if (place.kind === "drop") return;
    this.ctx.storage.sql.exec(
      `INSERT INTO log (slot, seq, id, created_at, entry) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (slot) DO UPDATE SET seq = excluded.seq, id = excluded.id,
         created_at = excluded.created_at, entry = excluded.entry`,
      place.slot,
      incoming.seq,
      entry.id,
      entry.created_at,
      JSON.stringify(entry),
    );
    const kept = keys.filter((key) => key.slot !== place.slot);
    this.#keys = [...kept, { ...incoming, slot: place.slot }];
  }

  /** The kept requests, newest first. */
  list(): LogEntry[] {
    this.#load();
    return this.ctx.storage.sql
      .exec<{ entry: string }>("SELECT entry FROM log ORDER BY created_at DESC, seq DESC")
      .toArray()
      .map((row) => JSON.parse(row.entry) as LogEntry);
  }

  get(id: string): LogEntry | null {
    this.#load();
    const row = this.ctx.storage.sql
      .exec<{ entry: string }>("SELECT entry FROM log WHERE id = ?", id)
      .toArray()[0];
    return row ? (JSON.parse(row.entry) as LogEntry) : null;
  }

  /** Notes that an attempt handed off to the slow lane has its outcome stored (see delivery/slow-lane.ts). */
  settle(messageId: string, attempt: number): void {
    const now = Date.now();
    this.#load();
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO settled (message_id, attempt, at) VALUES (?, ?, ?)",
      messageId,
      attempt,
      now,
    );
    // Guards arrive within a minute or so; a day of markers is plenty.
    this.ctx.storage.sql.exec("DELETE FROM settled WHERE at < ?", now - SETTLED_KEPT_MS);
  }

  isSettled(messageId: string, attempt: number): boolean {
    this.#load();
    return (
      this.ctx.storage.sql
        .exec("SELECT 1 FROM settled WHERE message_id = ? AND attempt = ?", messageId, attempt)
        .toArray().length > 0
    );
  }

  /** Forgets everything: the webhook was deleted. */
  async clear(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.#keys = null;
  }

  #load(): SlotKey[] {
    if (this.#keys) return this.#keys;
    const sql = this.ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS log (
      slot INTEGER PRIMARY KEY, seq INTEGER NOT NULL, id TEXT NOT NULL, created_at TEXT NOT NULL, entry TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS settled (
      message_id TEXT NOT NULL, attempt INTEGER NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (message_id, attempt))`);
    this.#keys = sql
      .exec<{ slot: number; seq: number; created_at: string }>("SELECT slot, seq, created_at FROM log")
      .toArray();
    this.#nextSeq = Math.max(-1, ...this.#keys.map((key) => key.seq)) + 1;
    return this.#keys.sort(newestFirst);
  }
}

/** The request log of one webhook. */
export function requestLogOf(env: Env, webhookId: string): DurableObjectStub<RequestLog> {
  return env.REQUEST_LOG.getByName(webhookId);
}
