// What a webhook's Durable Object keeps in its SQLite besides the request log: deliveries waiting
// (with the whole job), the last delivered seq of entities that had a failure (so that recover
// can tell a superseded delivery), failed deliveries on their way to D1 (an outbox), operational
// notices about the webhook that could not be queued yet, and timers of its own (when to look
// whether its account must hear that it is failing).
import type { NewFailure } from "../failed/storage";
import type { DeliveryJob } from "./job";
import type { Waiting } from "./lane";
import type { PendingNotice } from "./notices";

export class WaitingStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS waiting (
      id INTEGER PRIMARY KEY, message_id TEXT NOT NULL, entity TEXT NOT NULL, seq INTEGER NOT NULL,
      due_at INTEGER NOT NULL, job TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS marks (
      entity TEXT PRIMARY KEY, seq INTEGER, at INTEGER NOT NULL) WITHOUT ROWID`);
    sql.exec("CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY, failure TEXT NOT NULL)");
    sql.exec("CREATE TABLE IF NOT EXISTS timers (name TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID");
    sql.exec(
      "CREATE TABLE IF NOT EXISTS notices (identity TEXT PRIMARY KEY, notice TEXT NOT NULL) WITHOUT ROWID",
    );
  }

  /** When the timer `name` is due (epoch ms), or null if it is not set. */
  timer(name: string): number | null {
    return (
      this.sql.exec<{ at: number }>("SELECT at FROM timers WHERE name = ?", name).toArray()[0]?.at ?? null
    );
  }

  setTimer(name: string, at: number | null): void {
    if (at === null) this.sql.exec("DELETE FROM timers WHERE name = ?", name);
    else this.sql.exec("INSERT OR REPLACE INTO timers (name, at) VALUES (?, ?)", name, at);
  }

  waiting(): Waiting[] {
    return this.sql
      .exec<{ id: number; message_id: string; entity: string; seq: number; due_at: number }>(
        "SELECT id, message_id, entity, seq, due_at FROM waiting",
      )
      .toArray()
      .map((row) => ({
        id: row.id,
        messageId: row.message_id,
        entity: row.entity,
        seq: row.seq,
        dueAt: row.due_at,
      }));
  }

  /** Entities with a failure on record, and the highest seq of theirs delivered since (null: none yet). */
  marks(): [string, number | null][] {
    return this.sql
      .exec<{ entity: string; seq: number | null }>("SELECT entity, seq FROM marks")
      .toArray()
      .map((row) => [row.entity, row.seq]);
  }

  insert(job: DeliveryJob, dueAt: number): Waiting {
    const { id } = this.sql
      .exec<{ id: number }>(
        "INSERT INTO waiting (message_id, entity, seq, due_at, job) VALUES (?, ?, ?, ?, ?) RETURNING id",
        job.message_id,
        job.entity,
        job.seq,
        dueAt,
        JSON.stringify(job),
      )
      .one();
    return { id, messageId: job.message_id, entity: job.entity, seq: job.seq, dueAt };
  }

  update(id: number, job: DeliveryJob, dueAt: number): void {
    this.sql.exec("UPDATE waiting SET job = ?, due_at = ? WHERE id = ?", JSON.stringify(job), dueAt, id);
  }

  remove(id: number): void {
    this.sql.exec("DELETE FROM waiting WHERE id = ?", id);
  }

  job(id: number): DeliveryJob {
    return JSON.parse(this.sql.exec<{ job: string }>("SELECT job FROM waiting WHERE id = ?", id).one().job);
  }

  mark(entity: string, seq: number | null, now: number): void {
    this.sql.exec(
      `INSERT INTO marks (entity, seq, at) VALUES (?, ?, ?)
       ON CONFLICT (entity) DO UPDATE SET seq = MAX(COALESCE(seq, excluded.seq), COALESCE(excluded.seq, seq)), at = excluded.at`,
      entity,
      seq,
      now,
    );
  }

  forgetMarks(before: number): void {
    this.sql.exec("DELETE FROM marks WHERE at < ?", before);
  }

  addFailure(failure: NewFailure): void {
    this.sql.exec("INSERT INTO outbox (failure) VALUES (?)", JSON.stringify(failure));
  }

  failures(limit: number): { id: number; failure: NewFailure }[] {
    return this.sql
      .exec<{ id: number; failure: string }>("SELECT id, failure FROM outbox ORDER BY id LIMIT ?", limit)
      .toArray()
      .map((row) => ({ id: row.id, failure: JSON.parse(row.failure) as NewFailure }));
  }

  hasFailures(): boolean {
    return this.sql.exec("SELECT 1 FROM outbox LIMIT 1").toArray().length > 0;
  }

  removeFailures(ids: readonly number[]): void {
    this.sql.exec("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))", JSON.stringify(ids));
  }

  addNotices(notices: readonly PendingNotice[]): void {
    for (const notice of notices)
      this.sql.exec(
        "INSERT OR REPLACE INTO notices (identity, notice) VALUES (?, ?)",
        notice.identity,
        JSON.stringify(notice),
      );
  }

  hasNotices(): boolean {
    return this.sql.exec("SELECT 1 FROM notices LIMIT 1").toArray().length > 0;
  }

  /** The notices kept, in their webhook's order. */
  notices(): PendingNotice[] {
    return this.sql
      .exec<{ notice: string }>("SELECT notice FROM notices")
      .toArray()
      .map((row) => JSON.parse(row.notice) as PendingNotice)
      .sort((a, b) => a.seq - b.seq);
  }

  removeNotices(identities: readonly string[]): void {
    this.sql.exec(
      "DELETE FROM notices WHERE identity IN (SELECT value FROM json_each(?))",
      JSON.stringify(identities),
    );
  }
}
