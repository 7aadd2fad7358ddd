// Catalog rows in D1: plain functions with inline SQL, every query scoped by account_id.
import { fromBase64, toBase64Url, utf8 } from "../crypto/base64";
import type { EventIn, EventOut } from "./schemas";

interface EventRow {
  id: string;
  name: string;
  starts_at: string | null;
  name_key: string;
}

/** Case- and accent-insensitive form for sorting and matching: "Messe München" → "messe munchen". */
const fold = (text: string) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

const toEventOut = (row: EventRow): EventOut => ({ id: row.id, name: row.name, starts_at: row.starts_at });

/** Creates or replaces the events in one statement: all of them are written or none. */
export async function upsertEvents(
  db: D1Database,
  accountId: string,
  events: EventIn[],
  now: string,
): Promise<void> {
  const rows = events.map((event) => ({
    id: event.id,
    name: event.name,
    starts_at: event.starts_at ? new Date(event.starts_at).toISOString() : null,
    name_key: fold(event.name),
    search_key: `${fold(event.id)}\n${fold(event.name)}`,
  }));
  await db
    .prepare(
      `INSERT INTO events (account_id, id, name, starts_at, name_key, search_key, updated_at)
       SELECT ?1, json_extract(e.value, '$.id'), json_extract(e.value, '$.name'),
         json_extract(e.value, '$.starts_at'), json_extract(e.value, '$.name_key'),
         json_extract(e.value, '$.search_key'), ?3
       FROM json_each(?2) AS e WHERE true
       ON CONFLICT (account_id, id) DO UPDATE SET name = excluded.name, starts_at = excluded.starts_at,
         name_key = excluded.name_key, search_key = excluded.search_key, updated_at = excluded.updated_at`,
    )
    .bind(accountId, JSON.stringify(rows), now)
    .run();
}

export async function deleteEvent(db: D1Database, accountId: string, id: string): Promise<void> {
  await db.prepare("DELETE FROM events WHERE account_id = ?1 AND id = ?2").bind(accountId, id).run();
}

/** Where a page ends: the last event's name_key and id. */
type Position = [nameKey: string, id: string];

const encodeEventCursor = (position: Position) => toBase64Url(utf8(JSON.stringify(position)));

export function decodeEventCursor(cursor: string): Position | null {
  try {
    const position: unknown = JSON.parse(new TextDecoder().decode(fromBase64(cursor)));
    const valid =
      Array.isArray(position) && position.length === 2 && position.every((part) => typeof part === "string");
    return valid ? (position as Position) : null;
  } catch {
    return null;
  }
}

/** A page of the account's events in name order, those matching `query` (in id or name) only. */
export async function listEvents(
  db: D1Database,
  accountId: string,
  page: { query: string; limit: number; after: Position | null },
): Promise<{ events: EventOut[]; nextCursor: string | null }> {
  const [afterKey, afterId] = page.after ?? ["", ""];
  const { results } = await db
    .prepare(
      `SELECT id, name, starts_at, name_key FROM events
       WHERE account_id = ?1 AND instr(search_key, ?2) > 0
         AND (name_key > ?3 OR (name_key = ?3 AND id > ?4))
       ORDER BY name_key, id LIMIT ?5`,
    )
    .bind(accountId, fold(page.query), afterKey, afterId, page.limit + 1)
    .all<EventRow>();
  const rows = results.slice(0, page.limit);
  const last = rows.at(-1);
  const nextCursor = results.length > page.limit && last ? encodeEventCursor([last.name_key, last.id]) : null;
  return { events: rows.map(toEventOut), nextCursor };
}
