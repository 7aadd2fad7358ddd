// What waits or is out right now, as GET /v1/webhooks/{id}/pending lists it: each delivery's state
// — "retry" (a failed attempt, the next one scheduled), "held" (behind an earlier change of its
// entity), "paced" (waiting for its turn: max_per_second, or the service's own pace), "out" (an
// attempt in flight) — and when it goes next. Pure: the webhook's object hands in what it keeps.
import { type DeliveryJob, type JobSummary, summaryOf } from "./job";
import type { Flight, Lane, Waiting, WaitKind } from "./lane";

type PendingState = "retry" | "held" | "paced" | "out";

export interface PendingItem {
  message_id: string;
  entity_type: JobSummary["entity_type"];
  entity_id: JobSummary["entity_id"];
  action_type: JobSummary["action_type"];
  /** When the change was accepted. */
  created_at: string;
  state: PendingState;
  /** The attempt it waits to make, or is making (1: never attempted). */
  attempt: number;
  /** When it may go next; null while held or out. */
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  /** The webhook-id of the change it is held behind (null unless held). */
  held_behind: string | null;
  /** Its place in the order of acceptance: the list's order and its cursor. */
  seq: number;
}

function pendingItemOf(
  job: JobSummary,
  state: "out" | "held" | WaitKind,
  dueAt: number,
  behind?: string,
): PendingItem {
  const listed: PendingState = state === "turn" ? "paced" : state;
  const waitsForTime = listed === "retry" || listed === "paced";
  return {
    message_id: job.message_id,
    entity_type: job.entity_type,
    entity_id: job.entity_id,
    action_type: job.action_type,
    created_at: job.accepted_at,
    state: listed,
    attempt: job.attempt,
    next_attempt_at: waitsForTime ? new Date(dueAt).toISOString() : null,
    last_status: job.last_status ?? null,
    last_error: job.last_error ?? null,
    held_behind: listed === "held" ? (behind ?? null) : null,
    seq: job.seq,
  };
}

/** Where a page of the list ends: its last delivery's place. */
export interface PendingCursor {
  seq: number;
  messageId: string;
}

/**
 * A page of what waits (the lane's rows, their jobs read from storage by `jobsOf`) or is out right
 * now (its flights), by seq, after the cursor's delivery.
 */
export function pendingPage(
  lane: Lane,
  jobsOf: (rowIds: number[]) => Map<number, DeliveryJob>,
  page: { now: number; limit: number; after: PendingCursor | null },
): { items: PendingItem[]; next: PendingCursor | null } {
  const { now, limit, after } = page;
  const rows = new Map(lane.all().map((row) => [row.messageId, row]));
  const out = lane.flights(now).flatMap(([, flight]) => (rows.has(flight.messageId) ? [] : [flight]));
  type Entry = { seq: number; messageId: string; row?: Waiting; flight?: Flight };
  const listed: Entry[] = [
    ...[...rows.values()].map((row) => ({ seq: row.seq, messageId: row.messageId, row })),
    ...out.map((flight) => ({ seq: flight.seq, messageId: flight.messageId, flight })),
  ]
    .filter((e) => !after || e.seq > after.seq || (e.seq === after.seq && e.messageId > after.messageId))
    .sort((a, b) => a.seq - b.seq || (a.messageId < b.messageId ? -1 : 1));
  const shown = listed.slice(0, limit);
  const jobs = jobsOf(shown.flatMap((e) => (e.row ? [e.row.id] : [])));
  const items = shown.map((e) => {
    if (!e.row) return pendingItemOf((e.flight as Flight).summary, "out", now);
    const { state, behind } = lane.stateOf(e.row, now);
    return pendingItemOf(summaryOf(jobs.get(e.row.id) as DeliveryJob), state, e.row.dueAt, behind);
  });
  const last = shown.at(-1);
  return { items, next: listed.length > limit && last ? { seq: last.seq, messageId: last.messageId } : null };
}
