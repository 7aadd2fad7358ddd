// npm run cost:page [-- results.json] [-- --write]: docs/cost.md's tables (prices, units per
// million deliveries, a month at 1 M, 30 M and 300 M deliveries) rendered from a bench results
// file: by default the newest bench/tmp/results-*.json with section 4 (npm run bench, or
// npm run bench -- --only work). --write puts them into docs/cost.md between its markers.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { monthlyTable, perMillionTable, priceTable, totalsTable } from "./lib/cost-tables.mjs";
import { num } from "./lib/format.mjs";
import { unitsPerDelivery } from "./lib/monthly.mjs";
import { root } from "./lib/service.mjs";

/** @import { Work } from "./lib/cost.mjs" */
/** @typedef {{ work: Work & { deliveries: number, per_consumer?: Record<string, { messages_per_invocation: number }> }, attempts: number, label?: string }} Measured */

const PAGE = join(root, "docs/cost.md");
const BEGIN = "<!-- cost tables: npm run cost:page -- --write renders them from a bench results file -->";
const END = "<!-- end of cost tables -->";

/** The newest results file with section 4 in it. */
function newestResults() {
  const dir = join(root, "bench/tmp");
  const files = readdirSync(dir)
    .filter((name) => /^results-.*\.json$/.test(name))
    .map((name) => join(dir, name))
    .filter((path) => JSON.parse(readFileSync(path, "utf8")).work)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!files[0])
    throw new Error("no bench/tmp/results-*.json with section 4: run npm run bench -- --only work");
  return files[0];
}

/** @param {string} path */
export function costTables(path) {
  const results = JSON.parse(readFileSync(path, "utf8"));
  /** @type {{ single: Measured, batched: Measured }} */
  const { single, batched } = results.work;
  const shapes = [
    { measured: single, label: "single changes" },
    { measured: batched, label: "batches of 100" },
  ].map(({ measured, label }) => ({
    label: measured.label ?? label,
    units: unitsPerDelivery(measured.work, measured.attempts / measured.work.deliveries),
  }));
  /** @param {Measured} measured */
  const batches = (measured) =>
    num(measured.work.per_consumer?.["eventinsight-changes"]?.messages_per_invocation ?? Number.NaN);
  // Files written before the results named their sections name them in the file name.
  const only =
    results.only?.join(",") ??
    /^results-(?:full|quick)((?:-[a-z]+)*)/.exec(basename(path))?.[1]?.slice(1).replaceAll("-", ",");
  const run =
    `From one \`npm run bench${only ? ` -- --only ${only}` : ""}\` run ` +
    `(\`${basename(path)}\`, ${results.generated_at})` +
    `${results.quick ? " (a --quick run: indicative only)" : ""} on ${results.machine?.cpus} × ${results.machine?.cpu_model}. ` +
    `The fan-out consumer read ${batches(single)} changes per batch for single changes, ${batches(batched)} for batches.`;
  return [
    BEGIN,
    "",
    run,
    "",
    "### In short: a month's bill",
    "",
    totalsTable(shapes),
    "",
    "### Prices",
    "",
    priceTable(),
    "",
    "### What a million deliveries use",
    "",
    perMillionTable(shapes),
    "",
    "### A month",
    "",
    monthlyTable(shapes),
    "",
    END,
  ].join("\n");
}

function main() {
  const args = process.argv.slice(2).filter((arg) => arg !== "--");
  const path = args.find((arg) => !arg.startsWith("--")) ?? newestResults();
  const tables = costTables(path);
  if (!args.includes("--write")) return console.log(tables);
  const page = readFileSync(PAGE, "utf8");
  const [start, end] = [page.indexOf(BEGIN), page.indexOf(END)];
  if (start < 0 || end < start) throw new Error(`docs/cost.md lacks the markers ${BEGIN} … ${END}`);
  writeFileSync(PAGE, page.slice(0, start) + tables + page.slice(end + END.length));
  console.log(`docs/cost.md: tables rendered from ${path}`);
}

main();
