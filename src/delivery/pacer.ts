// Pacing (max_per_second): at most `limit` deliveries of a webhook start in any second. The
// webhook's Durable Object sees every delivery of its webhook, so one pacer there holds across all
// consumer invocations. Pure: the clock is passed in.
//
// A grant is made when the object lets a delivery go; its exchange starts a little later (after
// the consumer's slot for it, CONCURRENT_SENDS at a time). What the receiver sees is the starts:
// once the attempt reports back, its grant counts from its start instead, so that a second's
// deliveries that went out late never share a second with the next second's.

interface Grant {
  at: number;
  /** The delivery's webhook-id, to move the grant to the exchange's start when it is known. */
  id: string;
}

export class Pacer {
  /** The grants of the last second (at most `limit`), oldest first. */
  #grants: Grant[] = [];

  /** Whether the delivery `id` may start at `now` under `limit` per second (null: no limit); if so, grants it. */
  take(limit: number | null, now: number, id: string): boolean {
    if (limit === null) return true;
    this.#grants = this.#grants.filter((grant) => grant.at > now - 1000).slice(-limit);
    if (this.#grants.length >= limit) return false;
    this.#grants.push({ at: now, id });
    return true;
  }

  /** The delivery `id` was granted, and its exchange started at `at`: its grant counts from then. */
  started(id: string, at: number): void {
    const grant = this.#grants.findLast((g) => g.id === id);
    if (!grant || !(at > grant.at)) return;
    grant.at = at;
    this.#grants.sort((a, b) => a.at - b.at);
  }

  /** When the next delivery may start under `limit` (now, if one may). */
  nextSlotAt(limit: number | null, now: number): number {
    if (limit === null) return now;
    const recent = this.#grants.filter((grant) => grant.at > now - 1000);
    return recent.length < limit ? now : (recent[recent.length - limit] as Grant).at + 1000;
  }
}
