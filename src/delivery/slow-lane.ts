// Keeps a slow receiver from holding its consumer batch: an exchange that runs much longer than
// the batch's others (see slowAfterMs) is handed off. Only the exchange is timed — the wait for the
// receiver — not the job's own work, so a busy batch does not hand off healthy deliveries. The
// webhook's Durable Object keeps a handed-off delivery until its lease ends (so a restart or a
// crash loses nothing: it is then made again); the attempt goes on in waitUntil (the
// queue_consumer_no_wait_for_wait_until flag lets the next batch start meanwhile) and its outcome
// goes to the object as any outcome does, in a report (./run.ts).
import type { ExchangeClock } from "./send";

/**
 * How long an exchange may run before it is handed off. The slow lane is for outliers, not for
 * a busy runtime in which every exchange is slow: once at least half of the batch's exchanges
 * have finished, SLOW_LANE_AFTER_MS or 4 times their median if that is longer; before, 5 times
 * SLOW_LANE_AFTER_MS.
 */
export function slowAfterMs(afterMs: number, finishedMs: readonly number[], exchanges: number): number {
  if (finishedMs.length === 0 || finishedMs.length * 2 < exchanges) return 5 * afterMs;
  const sorted = [...finishedMs].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as number;
  return Math.max(afterMs, 4 * median);
}

/**
 * Where an attempt of a batch stands: on its way (its DNS check, its slot, its exchange), under
 * way but kept (the slow lane could not hand it off, so the batch waits for it), ended, handed off
 * to the slow lane, not sent (benched or too late to start), or failed on our side.
 */
type AttemptState = "sending" | "kept" | "ended" | "handed-off" | "not-sent" | "failed";

/** The part of a running attempt the slow lane looks at. */
export interface Watched {
  clock: ExchangeClock;
  state: AttemptState;
}

/** Whether the batch still waits for the attempt. */
const isRunning = (run: Watched) => run.state === "sending" || run.state === "kept";

/** When a run becomes due for the slow lane: never unless its exchange is under way. */
export function overdueAt(run: Watched, afterMs: number): number {
  const { startedAt, endedAt } = run.clock;
  if (run.state !== "sending" || startedAt === undefined || endedAt !== undefined) return Infinity;
  return startedAt + afterMs;
}

/**
 * How long the batch's finished exchanges took, those the slow lane took over left out: they are
 * the outliers, and a batch with many hanging receivers must not raise the limit with them.
 */
export const exchangeTimes = (runs: readonly Watched[]) =>
  runs.flatMap(({ clock, state }) =>
    state !== "handed-off" && clock.startedAt !== undefined && clock.endedAt !== undefined
      ? [clock.endedAt - clock.startedAt]
      : [],
  );

/** How often the watcher looks at most: often enough to hand off on time, rarely enough to cost little. */
const WATCH_EVERY_MS = 20;

/** The earliest moment one of `runs` is due for the slow lane if it may run `afterMs` (Infinity: none). */
function earliestOverdue(runs: readonly Watched[], afterMs: number): number {
  let earliest = Infinity;
  for (const run of runs) earliest = Math.min(earliest, overdueAt(run, afterMs));
  return earliest;
}

/**
 * Watches `runs` (the list may grow while it watches) until none is still waiting for its
 * receiver, handing off the overdue ones with `handOff`, which marks each it took. It looks on a
 * clock (every WATCH_EVERY_MS at most, or when the next run becomes overdue), not on every
 * exchange that ends: a batch of a thousand exchanges costs it a few looks, not a thousand. The
 * batch's median (sorting every finished exchange) is worked out only once some exchange has run
 * `slowLaneAfterMs`, the least slowAfterMs ever answers: before that, nothing can be overdue.
 */
export async function watch<T extends Watched>(
  runs: readonly T[],
  slowLaneAfterMs: number,
  handOff: (overdue: T[]) => Promise<void>,
): Promise<void> {
  for (;;) {
    const waiting = runs.filter(isRunning);
    if (waiting.length === 0) return;
    const now = Date.now();
    let next = earliestOverdue(waiting, slowLaneAfterMs);
    if (next <= now) {
      const afterMs = slowAfterMs(slowLaneAfterMs, exchangeTimes(runs), runs.length);
      const overdue = waiting.filter((run) => overdueAt(run, afterMs) <= now);
      if (overdue.length > 0) {
        await handOff(overdue);
        continue;
      }
      next = earliestOverdue(waiting, afterMs);
    }
    const pause = Number.isFinite(next) ? Math.min(WATCH_EVERY_MS, Math.max(1, next - now)) : WATCH_EVERY_MS;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
