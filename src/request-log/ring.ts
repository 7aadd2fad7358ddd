// The request log keeps the 10 most recent requests of a webhook in 10 fixed slots, so that
// recording one request writes exactly one row (an insert while there is room, then an
// overwrite of the oldest slot) instead of an insert plus a delete.
// Entries are ordered by the attempt's start (created_at), ties broken by recording order (seq).
export const LOG_CAPACITY = 10;

interface RingKey {
  created_at: string;
  seq: number;
}

export interface SlotKey extends RingKey {
  slot: number;
}

type Placement = { kind: "insert"; slot: number } | { kind: "replace"; slot: number } | { kind: "drop" };

export function newestFirst(a: RingKey, b: RingKey): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  return b.seq - a.seq;
}

/** Where a new entry goes: a free slot, the oldest entry's slot, or nowhere if it is older than all. */
export function placeInRing(
  occupied: readonly SlotKey[],
  incoming: RingKey,
  capacity = LOG_CAPACITY,
): Placement {
  if (occupied.length < capacity) {
    const used = new Set(occupied.map((key) => key.slot));
    let slot = 0;
    while (used.has(slot)) slot++;
    return { kind: "insert", slot };
  }
  const oldest = [...occupied].sort(newestFirst).at(-1) as SlotKey;
  return newestFirst(incoming, oldest) < 0 ? { kind: "replace", slot: oldest.slot } : { kind: "drop" };
}
