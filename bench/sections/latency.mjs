// 3. Latency: from the Worker's 202 for POST /v1/changes to the receiver's arrival, at a steady
// rate of single changes; then the same while a second webhook of the account (subscribed to
// the same changes) has a receiver that never answers, so every change also makes an attempt
// that runs into DELIVERY_TIMEOUT_MS (15 s by default).
import { consumerOf, d1RoundTrips, perQueueText, sentPerQueue, sumOf } from "../lib/counted.mjs";
import { quantile, table } from "../lib/format.mjs";

/** @import { Context } from "../run.mjs" */
/** @import { Arrival } from "../lib/receiver.mjs" */
/** @typedef {Map<string, { sent: number, answered: number }>} Accepted */

/**
 * A latency, or how long we waited for a delivery that had not arrived by then.
 * @param {number | null} value
 * @param {number} [waitedMs]
 */
const ms = (value, waitedMs = 0) =>
  value === null
    ? "–"
    : value === Infinity
      ? `> ${(waitedMs / 1000).toFixed(0)} s`
      : `${value.toFixed(0)} ms`;

/** @param {number[]} values */
function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50_ms: quantile(sorted, 0.5),
    p95_ms: quantile(sorted, 0.95),
    p99_ms: quantile(sorted, 0.99),
    max_ms: sorted.at(-1) ?? null,
  };
}

/**
 * Latency from the Worker's 202 (its Date.now() as it answered, from the bench's header) to the
 * receiver's Date.now() at arrival; and, as an upper bound, from when the client sent the request
 * (adding wrangler dev's proxy on the way in). A delivery that has not arrived counts as Infinity.
 * @param {Accepted} accepted
 * @param {Arrival[]} arrivals
 * @param {number} total
 */
export function summarize(accepted, arrivals, total) {
  const arrivedAt = new Map(arrivals.map((a) => [a.entity, a.wall]));
  /** @param {"sent" | "answered"} key */
  const since = (key) =>
    [...accepted].map(([entity, times]) => (arrivedAt.get(entity) ?? Number.POSITIVE_INFINITY) - times[key]);
  return {
    changes: total,
    delivered: arrivals.length,
    ...percentiles(since("answered")),
    from_request_sent: percentiles(since("sent")),
  };
}

/** @typedef {{ name: string, account: string, hang: boolean, rate: number, seconds: number, waitMs: number, mustArrive: boolean }} Scenario */

/** The account's webhooks (one fast, maybe one hanging), warmed up by one delivery. @param {Context} ctx @param {Scenario} scenario */
async function prepare({ receiver, pipe }, { name, account, hang, mustArrive }) {
  await pipe.seed({ account_id: account, count: 1, url: receiver.url("fast", account) });
  if (hang) await pipe.seed({ account_id: account, count: 1, url: receiver.url("hang", account) });
  await receiver.take();
  await pipe.ingest(pipe.change(account, "warm-up"));
  /** @param {Arrival} arrival */
  const fast = (arrival) => arrival.kind === "fast" && arrival.label === account;
  await pipe.collect({ expected: 1, filter: fast, what: `${name} warm-up`, timeoutMs: 60_000, mustArrive });
  if (!hang) await pipe.waitIdle(); // with a hanging receiver, the pipeline is never idle for long
  return fast;
}

/** The steady changes, what arrived of them, the counters and how busy the runtime was. @param {Context} ctx @param {Scenario} scenario */
async function run(ctx, scenario) {
  const { pipe, service, progress } = ctx;
  const { name, account, rate, seconds, waitMs, mustArrive } = scenario;
  const fast = await prepare(ctx, scenario);
  progress(`3. latency, ${name}: ${rate} changes/s for ${seconds} s`);
  await pipe.resetCounters();
  const cpuBefore = Object.values(service.cpu()).reduce((sum, ms) => sum + ms, 0);
  const wallBefore = Date.now();
  const sent = await pipe.steady(account, { rate, seconds, prefix: "l" });
  const arrivals = await pipe.collect({
    expected: sent.total,
    filter: (a) => fast(a) && String(a.entity).startsWith("l"),
    timeoutMs: waitMs,
    mustArrive,
    what: `latency, ${name}`,
  });
  const counted = await pipe.counters();
  const cpuMs = Object.values(service.cpu()).reduce((sum, ms) => sum + ms, 0) - cpuBefore;
  // How many cores the runtime kept busy meanwhile: near the machine's count, everything queues.
  return {
    ...sent,
    arrivals,
    counted,
    firstTimeout: wallBefore + 15_000,
    coresBusy: cpuMs / (Date.now() - wallBefore),
  };
}

/** @param {Context} ctx @param {Scenario} scenario */
async function scenario(ctx, scenario) {
  const { name, rate, seconds, waitMs } = scenario;
  const { accepted, total, late, sendSeconds, arrivals, counted, firstTimeout, coresBusy } = await run(
    ctx,
    scenario,
  );
  const changes = consumerOf(counted, "-changes");
  /** @param {boolean} early */
  const sentEarly = (early) => new Map([...accepted].filter(([, t]) => t.sent < firstTimeout === early));
  const result = {
    name,
    rate,
    seconds,
    send_seconds: sendSeconds,
    sends_late: late,
    ...summarize(accepted, arrivals, total),
    // The first hanging attempts time out DELIVERY_TIMEOUT_MS (15 s) after the start: before and after.
    before_first_timeouts: summarize(sentEarly(true), arrivals, 0),
    after_first_timeouts: summarize(sentEarly(false), arrivals, 0),
    d1_round_trips: d1RoundTrips(counted),
    d1_ms_per_round_trip: sumOf(counted, "d1Ms") / Math.max(1, d1RoundTrips(counted)),
    waited_ms: waitMs,
    changes_per_fan_out_batch: changes ? changes.messagesReceived / Math.max(1, changes.invocations) : null,
    fan_out_batch_ms: changes ? changes.wallMs / Math.max(1, changes.invocations) : null,
    queue_wait_ms: changes ? changes.queueWaitMs / Math.max(1, changes.messagesReceived) : null,
    queue_messages: sentPerQueue(counted),
    do_calls: sumOf(counted, "doCalls"),
    cores_busy: coresBusy,
  };
  ctx.progress(
    `3. latency, ${name}: p50 ${ms(result.p50_ms, waitMs)}, p95 ${ms(result.p95_ms, waitMs)}, ` +
      `p99 ${ms(result.p99_ms, waitMs)} (${result.delivered}/${total} delivered); p99 of changes sent in the ` +
      `first 15 s ${ms(result.before_first_timeouts.p99_ms, waitMs)}, after ${ms(result.after_first_timeouts.p99_ms, waitMs)}`,
  );
  return result;
}

/** @param {Context} ctx */
export async function latencySection(ctx) {
  const { profile } = ctx;
  const common = { rate: profile.latencyRate, seconds: profile.latencySeconds };
  const steady = await scenario(ctx, {
    ...common,
    name: "steady",
    account: "bench-latency",
    hang: false,
    waitMs: 60_000,
    mustArrive: true,
  });
  const hanging = await scenario(ctx, {
    ...common,
    name: "one other webhook hangs",
    account: "bench-latency-hang",
    hang: true,
    waitMs: profile.hangWaitMs,
    mustArrive: false,
  });
  await ctx.receiver.release();
  const rows = [steady, hanging];
  return { rows, printed: print(rows) };
}

/** @param {Awaited<ReturnType<typeof scenario>>[]} rows */
function print(rows) {
  return table(
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
      "queue messages sent",
      "DO calls",
      "cores busy (worker + proxy + wrangler)",
      "goal",
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
      perQueueText(r.queue_messages),
      r.do_calls,
      r.cores_busy.toFixed(2),
      r.name === "steady" ? "p50 ≤ 15 ms, p99 ≤ 60 ms" : "p99 ≤ 400 ms",
    ]),
  );
}
