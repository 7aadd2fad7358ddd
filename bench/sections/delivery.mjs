// 2. Delivery throughput: deliveries per second through the whole pipeline (ingest, the changes
// queue, fan-out, delivery, request log, health) for 1, 10 and 100 webhooks per change, against
// the same number of plain signed POSTs made from one invocation of the same Worker
// (/__bench/baseline), with the Worker's CPU per delivery of each. The baseline that counts sends
// CONCURRENT_SENDS at a time, as many as the service's deliveries may have out (a POST costs the
// runtime more CPU the fewer share its turns); the one 100 at a time is shown beside it, as the
// goal was first measured.
import { d1RoundTrips, perQueueText, sentPerQueue, sumOf } from "../lib/counted.mjs";
import { fixed, median, num, ratio, table } from "../lib/format.mjs";
import { now } from "../lib/receiver.mjs";

/** @import { Context } from "../run.mjs" */
/** @import { CounterSnapshot } from "../worker/counters.ts" */

/**
 * An account with `fanOut` webhooks, every object they need created and loaded.
 * @param {Context} ctx @param {number} fanOut
 * @param {{ account?: string, signature_scheme?: "hmac-sha256" | "ed25519" }} [options]
 */
export async function prepare({ receiver, pipe }, fanOut, options = {}) {
  const { account = `bench-fanout-${fanOut}`, signature_scheme = "hmac-sha256" } = options;
  await pipe.seed({
    account_id: account,
    count: fanOut,
    url: receiver.url("fast", account),
    signature_scheme,
  });
  // Warm-up: one change per webhook, so that every object the delivery needs exists and is loaded.
  await receiver.take();
  await pipe.ingest(pipe.change(account, "warm-up"));
  await pipe.collect({
    expected: fanOut,
    filter: (a) => a.label === account,
    what: `fan-out ${fanOut} warm-up`,
  });
  await pipe.waitIdle();
  return account;
}

/**
 * One round: `profile.deliveries` deliveries to the prepared account, through the whole pipeline.
 * @param {Context} ctx @param {string} account @param {number} fanOut @param {number} round
 * @param {string} [section] how the progress lines name the section
 */
export async function throughput(
  { pipe, service, profile, progress },
  account,
  fanOut,
  round,
  section = "2. delivery",
) {
  /** @param {{ label: string }} arrival */
  const mine = (arrival) => arrival.label === account;
  const changes = Array.from({ length: Math.ceil(profile.deliveries / fanOut) }, (_, i) =>
    pipe.change(account, `r${round}-d${i}`),
  );
  const expected = changes.length * fanOut;
  progress(
    `${section}, fan-out ${fanOut}, round ${round + 1}: ${changes.length} changes → ${expected} deliveries`,
  );
  await pipe.resetCounters();
  const cpuBefore = service.cpu().worker ?? 0;
  const started = now();
  await pipe.ingestAll(changes, { perRequest: 100, concurrency: 4 });
  const arrivals = await pipe.collect({ expected, filter: mine, what: `fan-out ${fanOut}` });
  const seconds = (Math.max(...arrivals.map((a) => a.at)) - started) / 1000;
  // Idle includes the work after the last arrival (log writes, health): CPU is the whole of it.
  const counted = await pipe.waitIdle();
  return {
    expected,
    changes: changes.length,
    seconds,
    counted,
    cpuMs: (service.cpu().worker ?? 0) - cpuBefore,
  };
}

/**
 * n signed POSTs from one invocation, `concurrency` at a time (left out: CONCURRENT_SENDS).
 * @param {Context} ctx @param {string} label @param {number} n @param {number} [concurrency]
 */
async function baseline({ client, receiver, pipe, service }, label, n, concurrency) {
  const cpuBefore = service.cpu().worker ?? 0;
  const started = now();
  const answer = await client.json("POST", "/__bench/baseline", {
    url: receiver.url("fast", label),
    n,
    concurrency,
  });
  const seconds = (now() - started) / 1000;
  const cpuMs = (service.cpu().worker ?? 0) - cpuBefore;
  if (answer.ok !== n) throw new Error(`baseline: only ${answer.ok} of ${n} POSTs succeeded`);
  await pipe.collect({ expected: n, filter: (a) => a.label === label, what: "baseline" });
  return { seconds, cpuMs, concurrency: /** @type {number} */ (answer.concurrency) };
}

/** @param {CounterSnapshot} counted @param {number} deliveries */
const workOf = (counted, deliveries) => ({
  consumer_invocations: sumOf(counted, "invocations", "queue:"),
  queue_messages: sentPerQueue(counted),
  d1_round_trips: d1RoundTrips(counted),
  do_calls: sumOf(counted, "doCalls"),
  do_alarms: sumOf(counted, "invocations", "object:"),
  do_rows_written_per_delivery: sumOf(counted, "doRowsWritten") / deliveries,
  do_call_ms_mean: sumOf(counted, "doCallMs") / Math.max(1, sumOf(counted, "doCalls")),
});

/** @typedef {{ run: Awaited<ReturnType<typeof throughput>>, base: Awaited<ReturnType<typeof baseline>>, wide: Awaited<ReturnType<typeof baseline>> }} Round */

/**
 * Each fan-out's rounds alternate with their baselines (one of each per round), so that a slow
 * stretch of the machine weighs on both sides of a ratio; a figure is the median of its rounds,
 * a ratio the median of the rounds' own ratios, shown with their range.
 * @param {Context} ctx
 */
export async function deliverySection(ctx) {
  const rows = [];
  for (const fanOut of ctx.profile.fanOuts) {
    const account = await prepare(ctx, fanOut);
    /** @type {Round[]} */
    const rounds = [];
    for (let round = 0; round < ctx.profile.deliveryRounds; round++) {
      const run = await throughput(ctx, account, fanOut, round);
      const base = await baseline(ctx, `baseline-${fanOut}-${round}`, run.expected);
      const wide = await baseline(ctx, `baseline-100-${fanOut}-${round}`, run.expected, 100);
      rounds.push({ run, base, wide });
    }
    const first = /** @type {Round} */ (rounds[0]);
    const expected = first.run.expected;
    /** @param {(r: Round) => number} of */
    const mid = (of) => median(rounds.map(of));
    /** @param {(r: Round) => number} of */
    const range = (of) => [Math.min(...rounds.map(of)), Math.max(...rounds.map(of))];
    /** @param {Round} r */
    const cpuRatio = (r) => r.run.cpuMs / r.base.cpuMs;
    /** @param {Round} r */
    const cpuRatio100 = (r) => r.run.cpuMs / r.wide.cpuMs;
    const rate = mid((r) => r.run.expected / r.run.seconds);
    const baselineRate = mid((r) => r.run.expected / r.base.seconds);
    const row = {
      fan_out: fanOut,
      changes: first.run.changes,
      deliveries: expected,
      rounds: rounds.length,
      seconds: mid((r) => r.run.seconds),
      deliveries_per_s: rate,
      baseline_per_s: baselineRate,
      ratio: mid((r) => r.base.seconds / r.run.seconds),
      // CPU of the Worker's workerd process (with its local D1, queues and objects).
      cpu_ms_per_delivery: mid((r) => r.run.cpuMs / expected),
      cpu_ms_per_delivery_range: range((r) => r.run.cpuMs / expected),
      baseline_concurrency: first.base.concurrency,
      cpu_ms_per_baseline_post: mid((r) => r.base.cpuMs / expected),
      cpu_ratio: mid(cpuRatio),
      cpu_ratio_range: range(cpuRatio),
      cpu_ms_per_baseline_post_100: mid((r) => r.wide.cpuMs / expected),
      cpu_ratio_100: mid(cpuRatio100),
      cpu_ratio_100_range: range(cpuRatio100),
      rounds_cpu_ms_per_delivery: rounds.map((r) => r.run.cpuMs / expected),
      rounds_cpu_ms_per_baseline_post: rounds.map((r) => r.base.cpuMs / expected),
      ...workOf(first.run.counted, expected),
    };
    rows.push(row);
    ctx.progress(
      `2. delivery, fan-out ${fanOut}: ${fixed(rate)} deliveries/s vs baseline ${fixed(baselineRate)}/s (${ratio(row.ratio)}); ` +
        `CPU ${num(row.cpu_ms_per_delivery)} ms per delivery vs ${num(row.cpu_ms_per_baseline_post)} per baseline POST ` +
        `(${ratio(row.cpu_ratio)} ×, rounds ${row.cpu_ratio_range.map(ratio).join("–")})`,
    );
  }
  return { rows, printed: print(rows) };
}

/** @param {any[]} rows */
function print(rows) {
  return table(
    [
      "webhooks per change",
      "deliveries",
      "deliveries/s",
      `baseline POSTs/s (${rows[0]?.baseline_concurrency} at a time)`,
      "ratio (goal ≥ 0.8)",
      "Worker CPU ms per delivery / per baseline POST",
      "CPU ratio (goal ≤ 2), rounds' range",
      "baseline POST 100 at a time: CPU ms, ratio, range",
      "consumer invocations",
      "queue messages sent",
      "D1 round trips",
      "DO calls / alarms",
      "DO rows written per delivery",
      "mean DO call (ms)",
    ],
    rows.map((r) => [
      r.fan_out,
      r.deliveries,
      fixed(r.deliveries_per_s),
      fixed(r.baseline_per_s),
      ratio(r.ratio),
      `${num(r.cpu_ms_per_delivery)} / ${num(r.cpu_ms_per_baseline_post)}`,
      `${ratio(r.cpu_ratio)} ${r.cpu_ratio <= 2 ? "met" : "missed"} (${r.cpu_ratio_range.map(ratio).join("–")})`,
      `${num(r.cpu_ms_per_baseline_post_100)}, ${ratio(r.cpu_ratio_100)} (${r.cpu_ratio_100_range.map(ratio).join("–")})`,
      r.consumer_invocations,
      perQueueText(r.queue_messages),
      r.d1_round_trips,
      `${r.do_calls} / ${r.do_alarms}`,
      num(r.do_rows_written_per_delivery),
      num(r.do_call_ms_mean),
    ]),
  );
}
