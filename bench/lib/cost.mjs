// Cloudflare list prices (Workers Paid plan) and the cost of a million deliveries from counted work.

export const PRICES = {
  worker_requests: {
    usd: 0.3,
    per: 1e6,
    what: "Workers Standard: requests (consumer invocations billed as requests)",
  },
  worker_cpu_ms: { usd: 0.02, per: 1e6, what: "Workers Standard: CPU ms" },
  queue_ops: { usd: 0.4, per: 1e6, what: "Queues: operations (write, read, delete; per started 64 KB)" },
  d1_rows_read: { usd: 0.001, per: 1e6, what: "D1: rows read" },
  d1_rows_written: { usd: 1.0, per: 1e6, what: "D1: rows written" },
  do_requests: { usd: 0.15, per: 1e6, what: "Durable Objects: requests (RPC calls and alarms)" },
  do_gb_s: { usd: 12.5, per: 1e6, what: "Durable Objects: duration, GB-s" },
  do_rows_read: { usd: 0.001, per: 1e6, what: "Durable Objects SQLite: rows read" },
  do_rows_written: { usd: 1.0, per: 1e6, what: "Durable Objects SQLite: rows written" },
};

/** @typedef {keyof typeof PRICES} PriceKey */

/**
 * Work per delivery, as counted.
 * @typedef {{ worker_requests: number, consumer_invocations: number, cpu_ms: number, queue_ops: number,
 *   d1_rows_read: number, d1_rows_written: number, do_calls: number, do_alarms: number, do_call_ms: number,
 *   do_rows_read: number, do_rows_written: number }} Work
 */

/** Durable Objects are billed for 128 MB while active, whatever they use. */
export const DO_MEMORY_GB = 0.128;

export const ASSUMPTIONS = [
  "List prices of the Workers Paid plan; free tiers and the $5/month minimum are ignored.",
  "Every queue consumer invocation is billed as a Worker request; its CPU is in the CPU figure.",
  "CPU: utime+stime of the local workerd processes (the Worker with local D1, Queues and Durable " +
    "Objects, plus wrangler dev's proxy) per delivery, an upper bound of the Worker's billed CPU.",
  "Queue operations: each message is 1 write + 1 read + 1 delete per started 64 KB (counted per message).",
  "Durable Object requests: every RPC call and every alarm invocation. Duration: 128 MB for the wall " +
    "time of each RPC call as the caller saw it (summed, so overlapping calls to one object are counted " +
    "twice: an upper bound); objects are idle between calls.",
  "Durable Object SQLite rows: as the objects' SQL cursors report them (rowsRead, rowsWritten), plus one " +
    "row per key for the key-value API.",
  "D1 and Durable Object storage (GB-month) is ignored.",
  "Outbound fetch() to receivers (subrequests) is not billed.",
];

/**
 * Work per delivery → dollars per million deliveries, item by item.
 * @param {Work} work
 */
export function costPerMillion(work) {
  /** @type {Record<PriceKey, number>} */
  const items = {
    worker_requests: work.worker_requests + work.consumer_invocations,
    worker_cpu_ms: work.cpu_ms,
    queue_ops: work.queue_ops,
    d1_rows_read: work.d1_rows_read,
    d1_rows_written: work.d1_rows_written,
    do_requests: work.do_calls + work.do_alarms,
    do_gb_s: (work.do_call_ms / 1000) * DO_MEMORY_GB,
    do_rows_read: work.do_rows_read,
    do_rows_written: work.do_rows_written,
  };
  const keys = /** @type {PriceKey[]} */ (Object.keys(items));
  const dollars = Object.fromEntries(
    keys.map((key) => [key, (items[key] * 1e6 * PRICES[key].usd) / PRICES[key].per]),
  );
  const total = Object.values(dollars).reduce((sum, value) => sum + value, 0);
  return { items, dollars, total };
}
