// What a receiver's arrivals say about order and timing.

/** @import { Arrival } from "./receiver.mjs" */

/**
 * Deliveries (2xx answers) that came right after their entity's previous change (`n` counts
 * each entity's changes from 0).
 * @param {Arrival[]} arrivals
 */
export function inOrder(arrivals) {
  const delivered = arrivals.filter((a) => a.status === 200).sort((a, b) => a.at - b.at);
  /** @type {Map<unknown, number>} */
  const last = new Map();
  let ordered = 0;
  for (const { entity, n } of delivered) {
    if (Number(n) === (last.get(entity) ?? -1) + 1) ordered++;
    last.set(entity, Number(n));
  }
  return { delivered: delivered.length, ordered };
}

/** Seconds from the first arrival to the last. @param {Arrival[]} arrivals */
export const spanSeconds = (arrivals) =>
  arrivals.length > 1
    ? (Math.max(...arrivals.map((a) => a.at)) - Math.min(...arrivals.map((a) => a.at))) / 1000
    : 0;

/** The most arrivals within any one second (a window opening at each arrival). @param {Arrival[]} arrivals */
export function busiestSecond(arrivals) {
  const times = arrivals.map((a) => a.at).sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; first < times.length; first++) {
    while (last < times.length && (times[last] ?? Infinity) < (times[first] ?? 0) + 1000) last++;
    most = Math.max(most, last - first);
  }
  return most;
}
