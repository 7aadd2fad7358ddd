// Pacing (max_per_second): at most `limit` deliveries of a webhook start in any second. The
// webhook's Durable Object sees every delivery of its webhook, so one pacer there holds across all
// consumer invocations. Pure: the clock is passed in.
export class Pacer {
  /** Start times of the last `limit` grants, oldest first. */
  #grants: number[] = [];

  /** How many of `wanted` deliveries may start at `now` under `limit` per second (null: no limit); takes them. */
  take(limit: number | null, wanted: number, now: number): number {
    if (limit === null) return wanted;
    this.#grants = this.#grants.filter((at) => at > now - 1000).slice(-limit);
    const granted = Math.max(0, Math.min(wanted, limit - this.#grants.length));
    for (let i = 0; i < granted; i++) this.#grants.push(now);
    return granted;
  }

  /** When the next delivery may start under `limit` (now, if one may). */
  nextSlotAt(limit: number | null, now: number): number {
    if (limit === null) return now;
    const recent = this.#grants.filter((at) => at > now - 1000);
    return recent.length < limit ? now : (recent[recent.length - limit] as number) + 1000;
  }
}
