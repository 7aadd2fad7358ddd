// The order of acceptance: every change (and operational notice) gets its place in it when it is
// accepted. The changes of one entity reach a webhook in this order.
let lastSeq = 0;

/**
 * The first of `count` consecutive sequence numbers for changes accepted now: the clock in
 * microseconds, and never less than a number this isolate handed out before, so that changes
 * accepted one after another here are ordered even within one millisecond. Changes of one entity
 * go to a webhook in this order (a batch in array order: base, base + 1, …).
 */
export function acceptanceSeq(count: number, nowMs: number): number {
  const base = Math.max(nowMs * 1000, lastSeq + 1);
  lastSeq = base + count - 1;
  return base;
}
