// Sums over a counter snapshot of the bench's Worker (bench/worker/counters.ts): by invocation
// kind ("fetch", "queue:<name>", "object:<class>") or over all of them.

/** @import { CounterSnapshot, InvocationCounters } from "../worker/counters.ts" */
/** @typedef {{ [K in keyof InvocationCounters]: InvocationCounters[K] extends number ? K : never }[keyof InvocationCounters]} NumericCounter */

/**
 * The counters of every invocation kind whose label starts with `prefix` ("" for all).
 * @param {CounterSnapshot} snapshot
 */
export const kinds = (snapshot, prefix = "") =>
  Object.entries(snapshot)
    .filter(([label]) => label.startsWith(prefix))
    .map(([, entry]) => entry);

/**
 * @param {CounterSnapshot} snapshot
 * @param {NumericCounter} key
 */
export const sumOf = (snapshot, key, prefix = "") =>
  kinds(snapshot, prefix).reduce((sum, entry) => sum + (entry[key] ?? 0), 0);

/**
 * Messages (or write operations) sent per queue binding, over every invocation kind.
 * @param {CounterSnapshot} snapshot
 * @param {"messages" | "delayed" | "writeOps"} key
 * @returns {Record<string, number>}
 */
export function sentPerQueue(snapshot, key = "messages") {
  /** @type {Record<string, number>} */
  const total = {};
  for (const entry of kinds(snapshot))
    for (const [binding, sent] of Object.entries(entry.sent))
      total[binding] = (total[binding] ?? 0) + sent[key];
  return total;
}

/** D1 round trips: reads, runs and batch() calls. @param {CounterSnapshot} snapshot */
export const d1RoundTrips = (snapshot, prefix = "") =>
  sumOf(snapshot, "d1Reads", prefix) +
  sumOf(snapshot, "d1Runs", prefix) +
  sumOf(snapshot, "d1Batches", prefix);

/** The consumer invocations of one queue (its name ends with `suffix`), or undefined. @param {CounterSnapshot} snapshot @param {string} suffix */
export const consumerOf = (snapshot, suffix) =>
  Object.entries(snapshot).find(([label]) => label.startsWith("queue:") && label.endsWith(suffix))?.[1];

/** "CHANGES 100 · DELIVERIES 3" for a per-queue record. @param {Record<string, number>} perQueue @param {(n: number) => string} format */
export const perQueueText = (perQueue, format = String) =>
  Object.entries(perQueue)
    .map(([binding, n]) => `${binding} ${format(n)}`)
    .join(" · ") || "0";
