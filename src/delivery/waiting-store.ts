// What a webhook's Durable Object keeps in its SQLite besides the request log: its webhook's
// configuration as it knows it, deliveries waiting (with the whole job), the last delivered seq of
// entities that had a failure (so that recover can tell a superseded delivery), what it must still
// write to D1 (an outbox: failed deliveries, recovered ones), operational notices about the
// webhook that could not be queued yet, and timers of its own (when to look whether its account
// must hear that it is failing).
import type { NewFailure } from "../failed/storage";
import type { Configuration } from "./grants";
import type { DeliveryJob } from "./job";
import type { Waiting, WaitKind } from "./lane";
import type { PendingNotice } from "./notices";

/** What the object must still write to D1. */
export type OutboxEntry =
  | { kind: "failure"; failure: NewFailure }
  /** A recovered failed delivery was delivered after all. */
  | { kind: "recovered"; message_id: string; at: string };

/** Why a kept job waits, from its own past: a failed attempt (ours or the receiver's) or a recovered failure is a retry. */
export const waitKindOf = (job: Pick<DeliveryJob, "attempt" | "failed_id" | "system_failures">): WaitKind =>
  job.attempt > 1 || job.failed_id !== undefined || job.system_failures !== undefined ? "retry" : "turn";

export class WaitingStore {
  /** Whether the outbox holds anything: known without reading it on every delivery. */
  #outboxHolds: boolean;

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
    sql.exec("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
    this.#outboxHolds = this.#outboxRows();
  }

  configuration(): Configuration | null {
    const row = this.sql
      .exec<{ value: string }>("SELECT value FROM meta WHERE name = 'configuration'")
      .toArray()[0];
    return row ? (JSON.parse(row.value) as Configuration) : null;
  }

  setConfiguration(config: Configuration): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO meta (name, value) VALUES ('configuration', ?)",
      JSON.stringify(config),
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
      .exec<{ id: number; message_id: string; entity: string; seq: number; due_at: number; kind: WaitKind }>(
        `SELECT id, message_id, entity, seq, due_at,
           CASE WHEN job ->> '$.attempt' > 1 OR job ->> '$.failed_id' IS NOT NULL
             OR job ->> '$.system_failures' IS NOT NULL THEN 'retry' ELSE 'turn' END AS kind
         FROM waiting`,
      )
      .toArray()
      .map((row) => ({
        id: row.id,
        messageId: row.message_id,
        entity: row.entity,
        seq: row.seq,
        dueAt: row.due_at,
        kind: row.kind,
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
    return { id, messageId: job.message_id, entity: job.entity, seq: job.seq, dueAt, kind: waitKindOf(job) };
  }

  update(id: number, job: DeliveryJob, dueAt: number): void {
    this.sql.exec("UPDATE waiting SET job = ?, due_at = ? WHERE id = ?", JSON.stringify(job), dueAt, id);
  }

  remove(id: number): void {
    this.sql.exec("DELETE FROM waiting WHERE id = ?", id);
  }

  reschedule(id: number, dueAt: number): void {
    this.sql.exec("UPDATE waiting SET due_at = ? WHERE id = ?", dueAt, id);
  }

  /** The jobs of these rows, by row id. */
  jobs(ids: readonly number[]): Map<number, DeliveryJob> {
    if (ids.length === 0) return new Map();
    return new Map(
      this.sql
        .exec<{ id: number; job: string }>(
          "SELECT id, job FROM waiting WHERE id IN (SELECT value FROM json_each(?))",
          JSON.stringify(ids),
        )
        .toArray()
        .map((row) => [row.id, JSON.parse(row.job) as DeliveryJob]),
    );
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

  addToOutbox(entry: OutboxEntry): void {
    this.sql.exec("INSERT INTO outbox (failure) VALUES (?)", JSON.stringify(entry));
    this.#outboxHolds = true;
  }

  /** The oldest entries of the outbox (rows from before entries had a kind are failures). */
  outbox(limit: number): { id: number; entry: OutboxEntry }[] {
    return this.sql
      .exec<{ id: number; failure: string }>("SELECT id, failure FROM outbox ORDER BY id LIMIT ?", limit)
      .toArray()
      .map((row) => {
        const stored = JSON.parse(row.failure) as OutboxEntry | NewFailure;
        return { id: row.id, entry: "kind" in stored ? stored : { kind: "failure", failure: stored } };
      });
  }

  get outboxHolds(): boolean {
    return this.#outboxHolds;
  }

  removeFromOutbox(ids: readonly number[]): void {
    this.sql.exec("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))", JSON.stringify(ids));
    this.#outboxHolds = this.#outboxRows();
  }

  #outboxRows(): boolean {
    return this.sql.exec("SELECT 1 FROM outbox LIMIT 1").toArray().length > 0;
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
