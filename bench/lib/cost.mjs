// Cloudflare list prices (Workers Paid plan), what a month includes, and the cost of a million
// deliveries from counted work. The one home of these figures: docs/cost.md's tables are
// rendered from them (bench/cost-page.mjs).

/** When the prices below were read from Cloudflare's pricing pages (`source`). */
export const PRICES_READ_ON = "2026-12-06";

const WORKERS = "https://developers.cloudflare.com/workers/platform/pricing/";
const QUEUES = "https://developers.cloudflare.com/queues/platform/pricing/";
const D1 = "https://developers.cloudflare.com/d1/platform/pricing/";
const DURABLE_OBJECTS = "https://developers.cloudflare.com/durable-objects/platform/pricing/";

/** Billed per unit of use: `usd` per `per` units beyond the `included` units of a month. */
export const PRICES = {
  worker_requests: {
    usd: 0.3,
    per: 1e6,
    included: 10e6,
    what: "Workers Standard: requests (consumer invocations billed as requests)",
    source: WORKERS,
  },
  worker_cpu_ms: { usd: 0.02, per: 1e6, included: 30e6, what: "Workers Standard: CPU ms", source: WORKERS },
  queue_ops: {
    usd: 0.4,
    per: 1e6,
    included: 1e6,
    what: "Queues: operations (write, read, delete; per started 64 KB)",
    source: QUEUES,
  },
  d1_rows_read: { usd: 0.001, per: 1e6, included: 25e9, what: "D1: rows read", source: D1 },
  d1_rows_written: { usd: 1.0, per: 1e6, included: 50e6, what: "D1: rows written", source: D1 },
  do_requests: {
    usd: 0.15,
    per: 1e6,
    included: 1e6,
    what: "Durable Objects: requests (RPC calls and alarms)",
    source: DURABLE_OBJECTS,
  },
  do_gb_s: {
    usd: 12.5,
    per: 1e6,
    included: 400e3,
    what: "Durable Objects: duration, GB-s",
    source: DURABLE_OBJECTS,
  },
  do_rows_read: {
    usd: 0.001,
    per: 1e6,
    included: 25e9,
    what: "Durable Objects SQLite: rows read",
    source: DURABLE_OBJECTS,
  },
  do_rows_written: {
    usd: 1.0,
    per: 1e6,
    included: 50e6,
    what: "Durable Objects SQLite: rows written",
    source: DURABLE_OBJECTS,
  },
};

/**
 * What a month costs besides the work per delivery the bench counts: the plan itself, the metrics
 * and logs written per delivery, and storage. Same shape as PRICES.
 */
export const MONTHLY_PRICES = {
  plan: { usd: 5, per: 1, included: 0, unit: "", what: "Workers Paid plan, per month", source: WORKERS },
  ae_data_points: {
    usd: 0.25,
    per: 1e6,
    included: 10e6,
    unit: "",
    what: "Workers Analytics Engine: data points written",
    source: "https://developers.cloudflare.com/analytics/analytics-engine/pricing/",
  },
  log_gb: {
    unit: "GB",
    usd: 0.25,
    per: 1,
    included: 50,
    what: "Workers Logs: GB ingested",
    source: "https://developers.cloudflare.com/observability/pricing/",
  },
  log_gb_month: {
    unit: "GB-month",
    usd: 0.1,
    per: 1,
    included: 12,
    what: "Workers Logs: GB-month stored",
    source: "https://developers.cloudflare.com/observability/pricing/",
  },
  d1_gb: { usd: 0.75, per: 1, included: 5, unit: "GB-month", what: "D1: storage, GB-month", source: D1 },
  do_gb: {
    unit: "GB-month",
    usd: 0.2,
    per: 1,
    included: 5,
    what: "Durable Objects SQLite: storage, GB-month",
    source: DURABLE_OBJECTS,
  },
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
  "Per million: list prices of the Workers Paid plan, without its $5 base and included allowances " +
    "(the monthly table applies both).",
  "Every queue consumer invocation is billed as a Worker request; its CPU is in the CPU figure.",
  "CPU: utime+stime of the local workerd processes (the Worker with local D1, Queues and Durable " +
    "Objects, plus wrangler dev's proxy) per delivery, an upper bound of the Worker's billed CPU.",
  "Queue operations: each message is 1 write + 1 read + 1 delete per started 64 KB (counted per message).",
  "Durable Object requests: every RPC call and every alarm invocation. Duration: 128 MB for the wall " +
    "time of each RPC call as the caller saw it (summed, so overlapping calls to one object are counted " +
    "twice: an upper bound); objects are idle between calls.",
  "Durable Object SQLite rows: as the objects' SQL cursors report them (rowsRead, rowsWritten), plus one " +
    "row per key for the key-value API.",
  "Per million: storage, metrics and logs left out (the monthly table estimates them).",
  "Outbound fetch() to receivers (subrequests) is not billed.",
];

/**
 * The billed units of one delivery's work, item by item (keys of PRICES).
 * @param {Work} work
 * @returns {Record<PriceKey, number>}
 */
export function billedUnits(work) {
  return {
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
}

/**
 * Work per delivery → dollars per million deliveries at list prices (no allowances), item by item.
 * @param {Work} work
 */
export function costPerMillion(work) {
  const items = billedUnits(work);
  const keys = /** @type {PriceKey[]} */ (Object.keys(items));
  const dollars = Object.fromEntries(
    keys.map((key) => [key, (items[key] * 1e6 * PRICES[key].usd) / PRICES[key].per]),
  );
  const total = Object.values(dollars).reduce((sum, value) => sum + value, 0);
  return { items, dollars, total };
}
