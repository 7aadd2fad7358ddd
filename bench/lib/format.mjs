// Tables for the terminal and the README (GitHub markdown), and a few number formats.

export function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell ?? "")));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`;
  return [
    line(cells[0]),
    // The separator as Biome formats Markdown tables, so that tables pasted into the README stay lint-clean.
    `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`,
    ...cells.slice(1).map(line),
  ].join("\n");
}

export const fixed = (value, digits = 0) =>
  value === null || value === undefined || Number.isNaN(value) ? "–" : Number(value).toFixed(digits);

export const ratio = (value) => (Number.isFinite(value) ? value.toFixed(2) : "–");

export const dollars = (value, digits = 2) => (Number.isFinite(value) ? `$${value.toFixed(digits)}` : "–");

/** A short number: 3 significant digits, no exponent for the ranges printed here. */
export function num(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** The q-quantile of values (nearest rank); Infinity stands for "never arrived". */
export function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export const ms = (value) => (value === null ? "–" : value === Infinity ? "never" : `${value.toFixed(0)} ms`);
