// A webhook's activity: per hour, how many requests succeeded and failed, and how long they took
// (each duration while an hour has few, so that the median is the exact one of the log; beyond
// that a histogram with ~10 % wide bins). Pure: counting and summing only; the request log
// (./store.ts) keeps the counts.
export const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** Hours of activity kept: the 7-day window and the hour under way. */
export const ACTIVITY_HOURS = 7 * 24 + 1;

export interface HourCounts {
  /** Start of the hour, epoch ms. */
  hour: number;
  delivered: number;
  failed: number;
  /** Durations: bin index → requests (see binOf). */
  durations: Record<number, number>;
  /** Every duration of the hour, while it has at most EXACT_DURATIONS (absent beyond, or if kept before these were). */
  exact?: number[];
}

/** Up to this many requests an hour, their durations are kept one by one. */
export const EXACT_DURATIONS = 50;

export interface ActivityBucket {
  start: string;
  delivered: number;
  failed: number;
  p50_ms: number | null;
}

const GROWTH = 1.1;
/** The bin of a duration: bin i holds durations up to GROWTH^i ms (bin 0: up to 1 ms). */
export const binOf = (ms: number) => (ms <= 1 ? 0 : Math.ceil(Math.log(ms) / Math.log(GROWTH)));
const upperOf = (bin: number) => Math.round(GROWTH ** bin);

export const hourOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
export const emptyHour = (hour: number): HourCounts => ({
  hour,
  delivered: 0,
  failed: 0,
  durations: {},
  exact: [],
});

export function countRequest(counts: HourCounts, success: boolean, durationMs: number): void {
  const first = counts.delivered + counts.failed === 0;
  if (success) counts.delivered++;
  else counts.failed++;
  const ms = Math.max(0, durationMs);
  const bin = binOf(ms);
  counts.durations[bin] = (counts.durations[bin] ?? 0) + 1;
  if (first && !counts.exact) counts.exact = [];
  if (counts.exact && counts.exact.length < EXACT_DURATIONS) counts.exact.push(ms);
  else delete counts.exact;
}

/** The median of these durations (the mean of the middle two of an even count), or null. */
function exactMedian(durations: readonly number[]): number | null {
  if (durations.length === 0) return null;
  const sorted = [...durations].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : Math.round(((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2);
}

/** The median duration of these hours: exact while each kept its durations, else from the histograms. */
export function medianOfHours(hours: readonly HourCounts[]): number | null {
  const complete = hours.every((h) => h.exact && h.exact.length === h.delivered + h.failed);
  return complete
    ? exactMedian(hours.flatMap((h) => h.exact ?? []))
    : medianOf(hours.map((h) => h.durations));
}

/** The median of the durations in these histograms (the upper bound of the median's bin), or null. */
export function medianOf(histograms: readonly Record<number, number>[]): number | null {
  const merged = new Map<number, number>();
  for (const histogram of histograms)
    for (const [bin, n] of Object.entries(histogram))
      merged.set(Number(bin), (merged.get(Number(bin)) ?? 0) + n);
  const total = [...merged.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const bin of [...merged.keys()].sort((a, b) => a - b)) {
    seen += merged.get(bin) as number;
    if (seen * 2 >= total) return upperOf(bin);
  }
  return null;
}

/**
 * The buckets of a window ending now, oldest first, every one present: 24 hourly ones for
 * "24h", 7 daily ones (UTC days, today last) for "7d".
 */
export function activityBuckets(
  window: "24h" | "7d",
  nowMs: number,
  hours: readonly HourCounts[],
): ActivityBucket[] {
  const [size, count] = window === "24h" ? [HOUR_MS, 24] : [DAY_MS, 7];
  const lastStart = Math.floor(nowMs / size) * size;
  return Array.from({ length: count }, (_, i) => {
    const start = lastStart - (count - 1 - i) * size;
    const inside = hours.filter((h) => h.hour >= start && h.hour < start + size);
    return {
      start: new Date(start).toISOString(),
      delivered: inside.reduce((n, h) => n + h.delivered, 0),
      failed: inside.reduce((n, h) => n + h.failed, 0),
      p50_ms: medianOfHours(inside),
    };
  });
}
