// 4. Work per delivery, counted by the bench's Worker (never estimated), and what a million
// deliveries cost at list prices; at fan-out 3, for single changes at a steady rate and for
// changes sent 100 per request. Counted generically: per queue, per consumer, per object class.
import { ASSUMPTIONS, costPerMillion, PRICES } from "../lib/cost.mjs";
import { monthlyTable, perMillionTable } from "../lib/cost-tables.mjs";
import { perQueueText } from "../lib/counted.mjs";
import { dollars, num, table } from "../lib/format.mjs";
import { MONTHLY_LEVELS, monthlyBill, unitsPerDelivery } from "../lib/monthly.mjs";
import { cpuSpent } from "../lib/service.mjs";
import { workOf } from "../lib/work.mjs";

/** @import { Context } from "../run.mjs" */

const FAN_OUT = 3;

/** @typedef {ReturnType<typeof workOf>} WorkPerDelivery */
/** @typedef {{ shape: string, label: string, account: string, changes: number, send: (pipe: Context["pipe"], account: string) => Promise<unknown> }} Shape */

/** @type {Record<"single" | "batched", (profile: Context["profile"]) => Shape>} */
const SHAPES = {
  single: (profile) => ({
    shape: `single changes, ${profile.workRate}/s`,
    label: "single changes",
    account: "bench-work-single",
    changes: Math.round(profile.workRate * profile.workSeconds),
    send: (pipe, account) =>
      pipe.steady(account, { rate: profile.workRate, seconds: profile.workSeconds, prefix: "w" }),
  }),
  batched: (profile) => ({
    shape: "100 changes per request",
    label: "batches of 100",
    account: "bench-work-batched",
    changes: profile.workBatchedChanges,
    send: (pipe, account) =>
      pipe.ingestAll(
        Array.from({ length: profile.workBatchedChanges }, (_, i) => pipe.change(account, `b${i}`)),
        { perRequest: 100, concurrency: 2 },
      ),
  }),
};

/**
 * Seeds the accounts and makes one delivery to each webhook, long before the measurement: the
 * first delivery creates each webhook's objects, and whatever that sets going must not land in a
 * measured window.
 * @param {Context} ctx
 */
export async function prepareWork({ receiver, pipe, profile }) {
  for (const make of Object.values(SHAPES)) {
    const { account, shape } = make(profile);
    await pipe.seed({ account_id: account, count: FAN_OUT, url: receiver.url("fast", account) });
    await pipe.ingest(pipe.change(account, "warm-up"));
    await pipe.collect({ expected: FAN_OUT, filter: (a) => a.label === account, what: `${shape} warm-up` });
  }
}

/** @param {Context} ctx @param {Shape} shape */
async function measure({ pipe, service, profile, progress }, { shape, label, account, changes, send }) {
  /** @param {{ label: string }} arrival */
  const mine = (arrival) => arrival.label === account;
  await pipe.waitIdle({ delayed: profile.waitForDelayed });
  progress(`4. work, ${shape}: ${changes} changes × ${FAN_OUT} webhooks`);
  await pipe.resetCounters();
  const before = service.cpu();
  await send(pipe, account);
  const arrivals = await pipe.collect({ expected: changes * FAN_OUT, filter: mine, what: `work, ${shape}` });
  // Delayed work (messages, alarms) is part of the work: in a full run, wait until it is done too.
  const snapshot = await pipe.waitIdle({ delayed: profile.waitForDelayed });
  const work = workOf(snapshot, cpuSpent(before, service.cpu()), { changes, deliveries: changes * FAN_OUT });
  const attempts = arrivals.length;
  // What a month bills, per delivery and at each level of docs/cost.md (bench/cost-page.mjs
  // renders the page's tables from `work` and `attempts`).
  const units = unitsPerDelivery(work, attempts / work.deliveries);
  return {
    shape,
    label,
    work,
    attempts,
    cost: costPerMillion(work),
    units,
    monthly: MONTHLY_LEVELS.map((deliveries) => ({ deliveries, ...monthlyBill(units, deliveries) })),
    counters: snapshot,
    delayed_waited_for: profile.waitForDelayed,
  };
}

/** @param {Context} ctx */
export async function workSection(ctx) {
  const single = await measure(ctx, SHAPES.single(ctx.profile));
  const batched = await measure(ctx, SHAPES.batched(ctx.profile));
  return { single, batched, printed: print(single, batched) };
}

/** @typedef {Awaited<ReturnType<typeof measure>>} Measured */

/** @param {Measured} single @param {Measured} batched */
function goalRows(single, batched) {
  const queues = new Set([
    ...Object.keys(single.work.per_consumer),
    ...Object.keys(batched.work.per_consumer),
  ]);
  /** @param {WorkPerDelivery["per_consumer"][string] | undefined} b */
  const text = (b) =>
    b
      ? `${num(b.d1_reads_per_invocation)} / ${num(b.d1_batches_per_invocation)} ` +
        `(${b.invocations} batches of ${num(b.messages_per_invocation)} messages)`
      : "–";
  return [...queues].map((queue) => [
    `${queue}: D1 reads / batch() writes per consumer batch (goal ≤ 1 / ≤ 1)`,
    text(single.work.per_consumer[queue]),
    text(batched.work.per_consumer[queue]),
  ]);
}

/** @param {Measured} single @param {Measured} batched */
function print(single, batched) {
  const [w1, w2] = [single.work, batched.work];
  /** @param {string} label @param {(w: WorkPerDelivery) => number} of */
  const line = (label, of) => [label, num(of(w1) * FAN_OUT), num(of(w1)), num(of(w2) * FAN_OUT), num(of(w2))];
  /** @param {string} label @param {(w: WorkPerDelivery) => Record<string, number>} of */
  const split = (label, of) => [
    label,
    perQueueText(of(w1), (n) => num(n * FAN_OUT)),
    perQueueText(of(w1), num),
    perQueueText(of(w2), (n) => num(n * FAN_OUT)),
    perQueueText(of(w2), num),
  ];
  const work = table(
    ["per …", `change (${single.shape})`, "delivery", `change (${batched.shape})`, "delivery"],
    [
      line("Worker requests (ingest)", (w) => w.worker_requests),
      line("consumer invocations", (w) => w.consumer_invocations),
      split("queue messages sent, per queue", (w) => w.queue_messages),
      line("… of them delayed", (w) => w.delayed_messages),
      line("queue operations (write + read + delete)", (w) => w.queue_ops),
      line("D1 queries (round trips)", (w) => w.d1_queries),
      line("D1 rows read", (w) => w.d1_rows_read),
      line("D1 rows written", (w) => w.d1_rows_written),
      split("Durable Object calls, per method", (w) => w.do_calls_by_method),
      line("Durable Object alarms", (w) => w.do_alarms),
      line("Durable Object SQLite rows read", (w) => w.do_rows_read),
      line("Durable Object SQLite rows written", (w) => w.do_rows_written),
      line("Durable Object call time (ms)", (w) => w.do_call_ms),
      line("CPU ms, workerd: the Worker", (w) => w.cpu_ms_worker),
      line("CPU ms, workerd: wrangler dev's proxy", (w) => w.cpu_ms_dev_proxy),
    ],
  );
  const goals = table(
    ["goal", single.shape, batched.shape],
    [
      ...goalRows(single, batched),
      [
        "Durable Object requests per delivery (calls + alarms)",
        num(w1.do_calls + w1.do_alarms),
        num(w2.do_calls + w2.do_alarms),
      ],
    ],
  );
  const keys = /** @type {(keyof typeof PRICES)[]} */ (Object.keys(PRICES));
  const cost = table(
    ["$ per million deliveries, fan-out 3", single.shape, batched.shape],
    [
      ...keys.map((key) => [
        `${PRICES[key].what} ($${PRICES[key].usd} per million)`,
        dollars(single.cost.dollars[key], 3),
        dollars(batched.cost.dollars[key], 3),
      ]),
      ["total (goal ≤ $2.00 for single changes)", dollars(single.cost.total), dollars(batched.cost.total)],
    ],
  );
  const shapes = [single, batched];
  const month = `${perMillionTable(shapes)}\n\n${monthlyTable(shapes)}\n\n(The tables of docs/cost.md: npm run cost:page -- --write puts this run's there.)`;
  return `${work}\n\n${goals}\n\n${cost}\n\nAssumptions:\n${ASSUMPTIONS.map((a) => `- ${a}`).join("\n")}\n\n${month}`;
}
