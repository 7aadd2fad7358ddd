// Tables for the terminal and for bench/README.md (GitHub markdown), and a few number formats.

/**
 * @param {string[]} headers
 * @param {unknown[][]} rows
 */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell ?? "")));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  /** @param {string[]} row */
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [
    line(cells[0] ?? []),
    // The separator as Biome formats Markdown tables, so that tables pasted into a README stay lint-clean.
    `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`,
    ...cells.slice(1).map(line),
  ].join("\n");
}

/** @param {number | null | undefined} value */
export const fixed = (value, digits = 0) =>
  value === null || value === undefined || Number.isNaN(value) ? "–" : Number(value).toFixed(digits);

/** @param {number} value */
export const ratio = (value) => (Number.isFinite(value) ? value.toFixed(2) : "–");

/** @param {number | undefined} value */
export const dollars = (value, digits = 2) =>
  value !== undefined && Number.isFinite(value) ? `$${value.toFixed(digits)}` : "–";

/**
 * A short number: 3 significant digits, no exponent for the ranges printed here.
 * @param {number | null | undefined} value
 */
export function num(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** The middle value (of an even count, the mean of the middle two). @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? /** @type {number} */ (sorted[middle])
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * The q-quantile of sorted values (nearest rank); Infinity stands for "never arrived".
 * @param {number[]} sorted
 * @param {number} q
 */
export function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? null;
}

/** @param {number | null} value */
export const ms = (value) => (value === null ? "–" : value === Infinity ? "never" : `${value.toFixed(0)} ms`);
