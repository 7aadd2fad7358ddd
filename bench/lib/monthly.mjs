// A month's bill at a number of deliveries: the work per delivery the bench counted, the Workers
// Paid plan's prices with its included allowances and base fee, and what the bench cannot count
// (logs' size, storage) from the stated assumptions below.
import { billedUnits, MONTHLY_PRICES, PRICES } from "./cost.mjs";

/** @import { PriceKey, Work } from "./cost.mjs" */
/** @typedef {keyof typeof MONTHLY_PRICES} MonthlyKey */

/** The deliveries a month the cost page prices. */
export const MONTHLY_LEVELS = [1e6, 30e6, 300e6];

/** What the bench cannot count, assumed; docs/cost.md states each. */
export const MONTHLY_ASSUMPTIONS = {
  /** Workers Logs bytes per event (execution log or own line), before compression. */
  log_event_bytes: 1000,
  /** Workers Logs keeps 7 days: a month's ingest is stored for 7 of 30 days. */
  log_retention_days: 7,
  /** Share of deliveries that end as a failed delivery, kept 30 days in D1. */
  failed_share: 0.001,
  /** A failed delivery's row in D1 with its indexes (the change's payload is most of it). */
  failed_row_bytes: 2000,
  /** Webhooks, each with its object's storage (10 logged requests, activity, what waits). */
  webhooks: 10_000,
  object_bytes_per_webhook: 50_000,
};

/**
 * Units per delivery of everything a month bills by use: the counted work, one metrics point per
 * attempt, and one execution log per invocation (Worker requests, consumer invocations, object
 * calls and alarms; a healthy run writes no log line of its own).
 * @param {Work} work
 * @param {number} attemptsPerDelivery
 */
export function unitsPerDelivery(work, attemptsPerDelivery) {
  const units = billedUnits(work);
  return {
    ...units,
    ae_data_points: attemptsPerDelivery,
    log_events: units.worker_requests + units.do_requests,
  };
}

/** @typedef {ReturnType<typeof unitsPerDelivery>} Units */
/** @typedef {{ key: PriceKey | MonthlyKey, used: number, usd: number }} BillLine */

/**
 * @param {{ usd: number, per: number, included: number }} price
 * @param {number} used
 */
const charge = (price, used) => (Math.max(0, used - price.included) * price.usd) / price.per;

/**
 * The bill of a month with `deliveries` deliveries, line by line (each with what it uses).
 * @param {Units} units
 * @param {number} deliveries
 * @returns {{ lines: BillLine[], total: number }}
 */
export function monthlyBill(units, deliveries, assume = MONTHLY_ASSUMPTIONS) {
  const keys = /** @type {PriceKey[]} */ (Object.keys(PRICES));
  const logGb = (units.log_events * deliveries * assume.log_event_bytes) / 1e9;
  /** @type {[MonthlyKey, number][]} */
  const others = [
    ["plan", 1],
    ["ae_data_points", units.ae_data_points * deliveries],
    ["log_gb", logGb],
    ["log_gb_month", (logGb * assume.log_retention_days) / 30],
    ["d1_gb", (deliveries * assume.failed_share * assume.failed_row_bytes) / 1e9],
    ["do_gb", (assume.webhooks * assume.object_bytes_per_webhook) / 1e9],
  ];
  /** @type {BillLine[]} */
  const lines = [
    ...keys.map((key) => {
      const used = units[key] * deliveries;
      return { key, used, usd: charge(PRICES[key], used) };
    }),
    ...others.map(([key, used]) => ({ key, used, usd: charge(MONTHLY_PRICES[key], used) })),
  ];
  return { lines, total: lines.reduce((sum, line) => sum + line.usd, 0) };
}
