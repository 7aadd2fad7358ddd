// 3. Latency: from the Worker's 202 for POST /v1/changes to the receiver's arrival, at a steady
// rate of single changes; then the same while a second webhook of the account (subscribed to
// the same changes) has a receiver that never answers, so every change also makes an attempt
// that runs into DELIVERY_TIMEOUT_MS (15 s by default).
import { quantile, table } from "../lib/format.mjs";

const sumOf = (snapshot, key) => Object.values(snapshot).reduce((sum, entry) => sum + (entry[key] ?? 0), 0);

/** A latency, or how long we waited for a delivery that had not arrived by then. */
const ms = (value, waitedMs) =>
  value === null
    ? "–"
    : value === Infinity
      ? `> ${(waitedMs / 1000).toFixed(0)} s`
      : `${value.toFixed(0)} ms`;

function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const finite = (value) => (value === undefined || value === null ? null : value);
  return {
    p50_ms: finite(quantile(sorted, 0.5)),
    p95_ms: finite(quantile(sorted, 0.95)),
    p99_ms: finite(quantile(sorted, 0.99)),
    max_ms: finite(sorted.at(-1)),
  };
}

/**
 * Latency from the Worker's 202 (its Date.now() as it answered, from a bench-mode header) to the
 * receiver's Date.now() at arrival; and, as an upper bound, from when the client sent the request
 * (adding wrangler dev's proxy on the way in). A delivery that has not arrived counts as Infinity.
 */
function summarize(accepted, arrivals, total) {
  const arrivedAt = new Map(arrivals.map((a) => [a.entity, a.wall]));
  const since = (key) =>
    [...accepted].map(([entity, times]) =>
      arrivedAt.has(entity) ? arrivedAt.get(entity) - times[key] : Number.POSITIVE_INFINITY,
    );
  return {
    changes: total,
    delivered: arrivals.length,
    ...percentiles(since("answered")),
    from_request_sent: percentiles(since("sent")),
  };
}

async function scenario(
  { receiver, pipe, service, progress },
  { name, account, hang, rate, seconds, waitMs, mustArrive },
) {
  await pipe.seed({ account_id: account, count: 1, url: receiver.url("fast", account) });
  if (hang) await pipe.seed({ account_id: account, count: 1, url: receiver.url("hang", account) });
  const fast = (arrival) => arrival.kind === "fast" && arrival.label === account;
  await receiver.take();
  await pipe.ingest(pipe.change(account, "warm-up"));
  await pipe.collect({ expected: 1, filter: fast, what: `${name} warm-up`, timeoutMs: 60_000, mustArrive });
  if (!hang) await pipe.waitIdle(); // with a hanging receiver, the pipeline is never idle for long

  progress(`3. latency, ${name}: ${rate} changes/s for ${seconds} s`);
  await pipe.resetCounters();
  const cpuBefore = service.cpu();
  const wallBefore = Date.now();
  const firstTimeout = Date.now() + 15_000;
  const { accepted, total, late, sendSeconds } = await pipe.steady(account, { rate, seconds, prefix: "l" });
  const arrivals = await pipe.collect({
    expected: total,
    filter: (a) => fast(a) && String(a.entity).startsWith("l"),
    timeoutMs: waitMs,
    mustArrive,
    what: `latency, ${name}`,
  });
  const counted = await pipe.counters();
  const cpuAfter = service.cpu();
  const wallMs = Date.now() - wallBefore;
  // How many cores the runtime kept busy meanwhile: near the machine's count, everything queues.
  const coresBusy = Object.fromEntries(
    Object.keys(cpuAfter).map((role) => [role, (cpuAfter[role] - (cpuBefore[role] ?? 0)) / wallMs]),
  );
  const changes = Object.entries(counted).find(([label]) => label.endsWith("-changes"))?.[1];
  const result = {
    name,
    rate,
    seconds,
    send_seconds: sendSeconds,
    sends_late: late,
    ...summarize(accepted, arrivals, total),
    // The first hanging attempts time out DELIVERY_TIMEOUT_MS (15 s) after the start: before and after.
    before_first_timeouts: summarize(
      new Map([...accepted].filter(([, t]) => t.sent < firstTimeout)),
      arrivals,
      0,
    ),
    after_first_timeouts: summarize(
      new Map([...accepted].filter(([, t]) => t.sent >= firstTimeout)),
      arrivals,
      0,
    ),
    d1_round_trips: sumOf(counted, "d1Reads") + sumOf(counted, "d1Runs") + sumOf(counted, "d1Batches"),
    d1_ms_per_round_trip:
      sumOf(counted, "d1Ms") /
      Math.max(1, sumOf(counted, "d1Reads") + sumOf(counted, "d1Runs") + sumOf(counted, "d1Batches")),
    waited_ms: waitMs,
    changes_per_fan_out_batch: changes ? changes.messagesReceived / Math.max(1, changes.invocations) : null,
    fan_out_batch_ms: changes ? changes.wallMs / Math.max(1, changes.invocations) : null,
    queue_wait_ms: changes ? changes.queueWaitMs / Math.max(1, changes.messagesReceived) : null,
    cores_busy: coresBusy,
    slow_lane_hand_offs: Object.values(counted).reduce((sum, c) => sum + (c.sent.DELIVERIES?.guards ?? 0), 0),
    // Infinity does not survive JSON: the timeline of arrivals, for a look at the tail.
    arrivals_after_202_ms: [...accepted].map(([entity, times]) => {
      const arrival = arrivals.find((a) => a.entity === entity);
      return arrival ? arrival.wall - times.answered : null;
    }),
  };
  progress(
    `3. latency, ${name}: p50 ${ms(result.p50_ms, waitMs)}, p95 ${ms(result.p95_ms, waitMs)}, ` +
      `p99 ${ms(result.p99_ms, waitMs)} (${result.delivered}/${total} delivered); p99 of changes sent in the ` +
      `first 15 s ${ms(result.before_first_timeouts.p99_ms, waitMs)}, after ${ms(result.after_first_timeouts.p99_ms, waitMs)}; ` +
      `${result.d1_round_trips} D1 round trips of ${ms(result.d1_ms_per_round_trip)} on average`,
  );
  return result;
}

export async function latencySection(ctx) {
  const { profile } = ctx;
  const steady = await scenario(ctx, {
    name: "steady",
    account: "bench-latency",
    hang: false,
    rate: profile.latencyRate,
    seconds: profile.latencySeconds,
    waitMs: 60_000,
    mustArrive: true,
  });
  const hanging = await scenario(ctx, {
    name: "one other webhook hangs",
    account: "bench-latency-hang",
    hang: true,
    rate: profile.latencyRate,
    seconds: profile.latencySeconds,
    waitMs: profile.hangWaitMs,
    mustArrive: false,
  });
  await ctx.receiver.release();
  const rows = [steady, hanging];
  const printed = table(
    [
      "scenario",
      "changes",
      "delivered",
      "p50",
      "p95",
      "p99",
      "max",
      "p50 / p99 from the request",
      "changes per fan-out batch",
      "fan-out batch",
      "queue wait",
      "hand-offs",
      "cores busy (worker + proxy + wrangler)",
    ],
    rows.map((r) => [
      r.name,
      r.changes,
      r.delivered,
      ms(r.p50_ms, r.waited_ms),
      ms(r.p95_ms, r.waited_ms),
      ms(r.p99_ms, r.waited_ms),
      ms(r.max_ms, r.waited_ms),
      `${ms(r.from_request_sent.p50_ms, r.waited_ms)} / ${ms(r.from_request_sent.p99_ms, r.waited_ms)}`,
      r.changes_per_fan_out_batch?.toFixed(1),
      ms(r.fan_out_batch_ms),
      ms(r.queue_wait_ms),
      r.slow_lane_hand_offs,
      Object.values(r.cores_busy)
        .reduce((sum, cores) => sum + cores, 0)
        .toFixed(2),
    ]),
  );
  return { rows, printed };
}
