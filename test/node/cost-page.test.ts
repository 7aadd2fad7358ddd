// docs/cost.md's tables come from a bench results file: npm run cost:page prices the counted work
// per delivery with the plan's allowances and base fee, and --write replaces the tables between
// the page's markers and nothing else.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { repoRoot } from "./started-service";

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Work per delivery of a made-up run: one Worker request and one attempt per delivery, nothing else. */
const work = {
  deliveries: 300,
  worker_requests: 1,
  consumer_invocations: 0,
  cpu_ms: 0,
  queue_ops: 0,
  d1_rows_read: 0,
  d1_rows_written: 0,
  do_calls: 0,
  do_alarms: 0,
  do_call_ms: 0,
  do_rows_read: 0,
  do_rows_written: 0,
  per_consumer: {},
};
const results = {
  generated_at: "2026-12-06T12:00:00.000Z",
  quick: false,
  only: ["work"],
  machine: { cpus: 2, cpu_model: "test" },
  work: { single: { work, attempts: 300 }, batched: { work, attempts: 300 } },
};

/** A checkout of the bench and docs/cost.md, with `results` as its only results file. */
function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), "eventinsight-cost-page-"));
  scratch.push(dir);
  cpSync(join(repoRoot, "bench"), join(dir, "bench"), {
    recursive: true,
    filter: (source) => !source.startsWith(join(repoRoot, "bench/tmp")),
  });
  mkdirSync(join(dir, "docs"));
  cpSync(join(repoRoot, "docs/cost.md"), join(dir, "docs/cost.md"));
  mkdirSync(join(dir, "bench/tmp"));
  writeFileSync(join(dir, "bench/tmp/results-full-work.json"), JSON.stringify(results));
  return dir;
}

const costPage = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(dir, "bench/cost-page.mjs"), ...args], { cwd: dir, encoding: "utf8" });

describe("npm run cost:page", () => {
  it("prices a month with the plan's allowances and its $5 base", () => {
    const run = costPage(checkout());
    expect(run.status, run.stderr).toBe(0);
    // 1 M: everything within the allowances. 30 M: 20 M requests beyond the 10 M included
    // ($6.00) and 20 M data points beyond 10 M ($5.00). 300 M: $87.00 of requests, $72.50 of
    // data points, 300 GB of logs (250 GB beyond 50: $62.50) stored 7 of 30 days (70 GB-month,
    // 58 beyond 12: $5.80).
    expect(run.stdout).toMatch(/\| 1 M +\| \$5\.00 +\| \$5\.00 +\|/);
    expect(run.stdout).toMatch(/\| 30 M +\| \$16\.00 +\| \$16\.00 +\|/);
    expect(run.stdout).toMatch(/\| 300 M +\| \$232\.80 +\| \$232\.80 +\|/);
    expect(run.stdout).toContain("From one `npm run bench -- --only work` run");
  });

  it("--write replaces the tables between the page's markers, and nothing else", () => {
    const dir = checkout();
    const before = readFileSync(join(dir, "docs/cost.md"), "utf8");
    const run = costPage(dir, "--write");
    expect(run.status, run.stderr).toBe(0);
    const after = readFileSync(join(dir, "docs/cost.md"), "utf8");
    const outside = (page: string) => page.replace(/<!-- cost tables:[\s\S]*<!-- end of cost tables -->/, "");
    expect(outside(after)).toBe(outside(before));
    expect(after).toContain("$232.80");
  });
});
