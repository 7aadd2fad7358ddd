// 2. Delivery throughput: deliveries per second through the whole pipeline (ingest, changes
// queue, fan-out with its direct first attempts, the deliveries queue for the rest, request log,
// health) for 1, 10 and 100 webhooks per change, against the same number of plain signed POSTs
// made from one invocation of the same Worker (/__bench/baseline, 100 at a time like a batch).
import { fixed, num, ratio, table } from "../lib/format.mjs";
import { now } from "../lib/receiver.mjs";

export async function deliverySection({ client, receiver, pipe, service, profile, progress }) {
  const rows = [];
  for (const fanOut of profile.fanOuts) {
    const account = `bench-fanout-${fanOut}`;
    await pipe.seed({ account_id: account, count: fanOut, url: receiver.url("fast", account) });
    const mine = (arrival) => arrival.label === account;

    // Warm-up: one change per webhook's request log object, so that objects exist and are loaded.
    await receiver.take();
    await pipe.ingest(pipe.change(account, "warm-up"));
    await pipe.collect({ expected: fanOut, filter: mine, what: `fan-out ${fanOut} warm-up` });
    await pipe.waitIdle();

    const deliveries = profile.deliveries;
    const changes = Array.from({ length: Math.ceil(deliveries / fanOut) }, (_, i) =>
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
    // Idle includes the work after the last arrival (log writes, health, hand-offs): CPU is the whole of it.
    const counted = await pipe.waitIdle();
    const cpuPipeline = (service.cpu().worker ?? 0) - cpuBefore;

    const baselineLabel = `baseline-${fanOut}`;
    const cpuBaselineBefore = service.cpu().worker ?? 0;
    const baselineStarted = now();
    const baseline = await client.json("POST", "/__bench/baseline", {
      url: receiver.url("fast", baselineLabel),
      n: expected,
      concurrency: 100,
    });
    const baselineSeconds = (now() - baselineStarted) / 1000;
    const cpuBaseline = (service.cpu().worker ?? 0) - cpuBaselineBefore;
    if (baseline.ok !== expected)
      throw new Error(`baseline: only ${baseline.ok} of ${expected} POSTs succeeded`);
    await pipe.collect({ expected, filter: (a) => a.label === baselineLabel, what: "baseline" });

    const rate = expected / seconds;
    const baselineRate = expected / baselineSeconds;
    const consumers = Object.entries(counted).filter(([label]) => label.startsWith("queue:"));
    const invocations = consumers.reduce((sum, [, c]) => sum + c.invocations, 0);
    const row = {
      fan_out: fanOut,
      changes: changes.length,
      deliveries: expected,
      seconds,
      deliveries_per_s: rate,
      baseline_per_s: baselineRate,
      ratio: rate / baselineRate,
      // CPU of the Worker's workerd process (with its local D1, queues and objects).
      cpu_ms_per_delivery: cpuPipeline / expected,
      cpu_ms_per_baseline_post: cpuBaseline / expected,
      consumer_invocations: invocations,
      // Beyond a fan-out batch's 100 direct attempts, deliveries go through the deliveries queue.
      deliveries_queued:
        sumSent(counted, "DELIVERIES", "messages") - sumSent(counted, "DELIVERIES", "guards"),
      // Attempts still running after SLOW_LANE_AFTER_MS are handed off, each with a delayed guard message.
      slow_lane_hand_offs: sumSent(counted, "DELIVERIES", "guards"),
      do_call_ms_mean: sumOf(counted, "doCallMs") / Math.max(1, sumOf(counted, "doCalls")),
    };
    rows.push(row);
    progress(
      `2. delivery, fan-out ${fanOut}: ${fixed(rate)} deliveries/s vs baseline ${fixed(baselineRate)}/s (${ratio(row.ratio)})`,
    );
  }
  const printed = table(
    [
      "webhooks per change",
      "deliveries",
      "deliveries/s",
      "baseline POSTs/s",
      "ratio",
      "goal ≥ 0.8",
      "consumer invocations",
      "via deliveries queue",
      "slow-lane hand-offs",
      "workerd CPU ms per delivery / per baseline POST",
      "mean log write (ms)",
    ],
    rows.map((r) => [
      r.fan_out,
      r.deliveries,
      fixed(r.deliveries_per_s),
      fixed(r.baseline_per_s),
      ratio(r.ratio),
      r.ratio >= 0.8 ? "met" : "missed",
      r.consumer_invocations,
      r.deliveries_queued,
      r.slow_lane_hand_offs,
      `${num(r.cpu_ms_per_delivery)} / ${num(r.cpu_ms_per_baseline_post)}`,
      num(r.do_call_ms_mean),
    ]),
  );
  return { rows, printed };
}

function sumOf(snapshot, key) {
  return Object.values(snapshot).reduce((sum, entry) => sum + (entry[key] ?? 0), 0);
}

function sumSent(snapshot, binding, key) {
  return Object.values(snapshot).reduce((sum, entry) => sum + (entry.sent[binding]?.[key] ?? 0), 0);
}
