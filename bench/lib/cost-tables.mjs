// The cost tables as docs/cost.md shows them, from a run's work per delivery: the prices read,
// the billed units per million deliveries, and the bill of a month at each level. Printed by
// section 4 of npm run bench and written into docs/cost.md by bench/cost-page.mjs.
import { MONTHLY_PRICES, PRICES, PRICES_READ_ON } from "./cost.mjs";
import { dollars, table } from "./format.mjs";
import { MONTHLY_ASSUMPTIONS, MONTHLY_LEVELS, monthlyBill } from "./monthly.mjs";

/** @import { Units } from "./monthly.mjs" */
/** @typedef {{ label: string, units: Units }} Shape */

const ALL_PRICES = { ...PRICES, ...MONTHLY_PRICES };

/** A count as the page prints it: 650 k, 5.76 M, 25 B (three significant digits). @param {number} value */
export function amount(value) {
  /** @param {number} n @param {string} unit */
  const scaled = (n, unit) => `${Number(n.toPrecision(3))}${unit}`;
  if (value >= 1e9) return scaled(value / 1e9, " B");
  if (value >= 1e6) return scaled(value / 1e6, " M");
  if (value >= 1e3) return scaled(value / 1e3, " k");
  return scaled(value, "");
}

/** @param {number} usd */
const usd = (usd) => `$${usd < 0.01 ? usd : usd.toFixed(2)}`;

/** Every price the month is built from, with what is included and where it was read. */
export function priceTable() {
  return table(
    ["item", "price", "included per month", "source"],
    Object.values(ALL_PRICES).map((price) => [
      price.what,
      price.per === 1e6 ? `${usd(price.usd)} per million` : usd(price.usd),
      price.included === 0
        ? "–"
        : `${amount(price.included)}${"unit" in price && price.unit ? ` ${price.unit}` : ""}`,
      `[${price.source.replace(/^https:\/\/developers\.cloudflare\.com/, "")}](${price.source}), read ${PRICES_READ_ON}`,
    ]),
  );
}

/** The units a million deliveries bill, per shape. @param {Shape[]} shapes */
export function perMillionTable(shapes) {
  const units = /** @type {(keyof Units)[]} */ (Object.keys(shapes[0]?.units ?? {}));
  /** @param {keyof Units} key */
  const label = (key) =>
    key === "log_events"
      ? "Workers Logs: events (an execution log per invocation)"
      : key in ALL_PRICES
        ? ALL_PRICES[/** @type {keyof typeof ALL_PRICES} */ (key)].what
        : key;
  return table(
    ["per million deliveries, fan-out 3", ...shapes.map((shape) => shape.label)],
    units.map((key) => [label(key), ...shapes.map((shape) => amount(shape.units[key] * 1e6))]),
  );
}

/** The bill of a month at each level, line by line, per shape. @param {Shape[]} shapes */
export function monthlyTable(shapes, levels = MONTHLY_LEVELS, assume = MONTHLY_ASSUMPTIONS) {
  const columns = levels.flatMap((deliveries) =>
    shapes.map((shape) => ({
      header: `${amount(deliveries)}, ${shape.label}`,
      bill: monthlyBill(shape.units, deliveries, assume),
    })),
  );
  const keys = columns[0]?.bill.lines.map((line) => line.key) ?? [];
  return table(
    ["$ per month", ...columns.map((column) => column.header)],
    [
      ...keys.map((key, i) => [
        ALL_PRICES[key].what,
        ...columns.map((column) => dollars(column.bill.lines[i]?.usd)),
      ]),
      ["**total**", ...columns.map((column) => `**${dollars(column.bill.total)}**`)],
    ],
  );
}

/** The month's total at each level, per shape: the page's answer in short. @param {Shape[]} shapes */
export function totalsTable(shapes, levels = MONTHLY_LEVELS, assume = MONTHLY_ASSUMPTIONS) {
  return table(
    ["deliveries a month (fan-out 3)", ...shapes.map((shape) => shape.label)],
    levels.map((deliveries) => [
      amount(deliveries),
      ...shapes.map((shape) => dollars(monthlyBill(shape.units, deliveries, assume).total)),
    ]),
  );
}
