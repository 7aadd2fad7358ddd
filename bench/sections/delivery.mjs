// 2. Delivery throughput: deliveries per second through the whole pipeline (ingest, the changes
// queue, fan-out, delivery, request log, health) for 1, 10 and 100 webhooks per change, against
// the same number of plain signed POSTs made from one invocation of the same Worker
// (/__bench/baseline), with the Worker's CPU per delivery of each. The baseline that counts sends
// CONCURRENT_SENDS at a time, as many as the service's deliveries may have out (a POST costs the
// runtime more CPU the fewer share its turns); the one 100 at a time is shown beside it, as the
// goal was first measured.
import { d1RoundTrips, perQueueText, sentPerQueue, sumOf } from "../lib/counted.mjs";
import { fixed, num, ratio, table } from "../lib/format.mjs";
import { now } from "../lib/receiver.mjs";

/** @import { Context } from "../run.mjs" */
/** @import { CounterSnapshot } from "../worker/counters.ts" */

/** @param {Context} ctx @param {number} fanOut */
async function throughput({ receiver, pipe, service, profile, progress }, fanOut) {
  const account = `bench-fanout-${fanOut}`;
  await pipe.seed({ account_id: account, count: fanOut, url: receiver.url("fast", account) });
  /** @param {{ label: string }} arrival */
  const mine = (arrival) => arrival.label === account;

  // Warm-up: one change per webhook, so that every object the delivery needs exists and is loaded.
  await receiver.take();
  await pipe.ingest(pipe.change(account, "warm-up"));
  await pipe.collect({ expected: fanOut, filter: mine, what: `fan-out ${fanOut} warm-up` });
  await pipe.waitIdle();

  const changes = Array.from({ length: Math.ceil(profile.deliveries / fanOut) }, (_, i) =>
    pipe.change(account, `d${i}`),
  );
  const expected = changes.length * fanOut;
  progress(`2. delivery, fan-out ${fanOut}: ${changes.length} changes → ${expected} deliveries`);
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

/** @param {Context} ctx */
export async function deliverySection(ctx) {
  const rows = [];
  for (const fanOut of ctx.profile.fanOuts) {
    const run = await throughput(ctx, fanOut);
    const base = await baseline(ctx, `baseline-${fanOut}`, run.expected);
    const wide = await baseline(ctx, `baseline-100-${fanOut}`, run.expected, 100);
    const rate = run.expected / run.seconds;
    const baselineRate = run.expected / base.seconds;
    const row = {
      fan_out: fanOut,
      changes: run.changes,
      deliveries: run.expected,
      seconds: run.seconds,
      deliveries_per_s: rate,
      baseline_per_s: baselineRate,
      ratio: rate / baselineRate,
      // CPU of the Worker's workerd process (with its local D1, queues and objects).
      cpu_ms_per_delivery: run.cpuMs / run.expected,
      baseline_concurrency: base.concurrency,
      cpu_ms_per_baseline_post: base.cpuMs / run.expected,
      cpu_ratio: run.cpuMs / base.cpuMs,
      cpu_ms_per_baseline_post_100: wide.cpuMs / run.expected,
      cpu_ratio_100: run.cpuMs / wide.cpuMs,
      ...workOf(run.counted, run.expected),
    };
    rows.push(row);
    ctx.progress(
      `2. delivery, fan-out ${fanOut}: ${fixed(rate)} deliveries/s vs baseline ${fixed(baselineRate)}/s (${ratio(row.ratio)}); ` +
        `CPU ${num(row.cpu_ms_per_delivery)} ms per delivery vs ${num(row.cpu_ms_per_baseline_post)} per baseline POST (${ratio(row.cpu_ratio)} ×)`,
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
      "CPU ratio (goal ≤ 2)",
      "baseline POST 100 at a time: CPU ms, ratio",
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
      `${ratio(r.cpu_ratio)} ${r.cpu_ratio <= 2 ? "met" : "missed"}`,
      `${num(r.cpu_ms_per_baseline_post_100)}, ${ratio(r.cpu_ratio_100)}`,
      r.consumer_invocations,
      perQueueText(r.queue_messages),
      r.d1_round_trips,
      `${r.do_calls} / ${r.do_alarms}`,
      num(r.do_rows_written_per_delivery),
      num(r.do_call_ms_mean),
    ]),
  );
}
