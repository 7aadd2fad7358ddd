// A webhook's activity: per hour, how many requests succeeded and failed, and how long they took
// (a histogram with ~10 % wide bins, enough for a median). Pure: counting and summing only; the
// request log (./store.ts) keeps the counts.
export const HOUR_MS = 3600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Hours of activity kept: the 7-day window and the hour under way. */
export const ACTIVITY_HOURS = 7 * 24 + 1;

export interface HourCounts {
  /** Start of the hour, epoch ms. */
  hour: number;
  delivered: number;
  failed: number;
  /** Durations: bin index → requests (see binOf). */
  durations: Record<number, number>;
}

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
export const emptyHour = (hour: number): HourCounts => ({ hour, delivered: 0, failed: 0, durations: {} });

export function countRequest(counts: HourCounts, success: boolean, durationMs: number): void {
  if (success) counts.delivered++;
  else counts.failed++;
  const bin = binOf(Math.max(0, durationMs));
  counts.durations[bin] = (counts.durations[bin] ?? 0) + 1;
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
      p50_ms: medianOf(inside.map((h) => h.durations)),
    };
  });
}
