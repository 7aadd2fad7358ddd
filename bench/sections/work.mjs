// 4. Work per delivery, counted by the bench-mode bindings (never estimated), and what a million
// deliveries cost at list prices; at fan-out 3, for single changes at a steady rate and for
// changes sent 100 per request, beside the straightforward design's cost from the same counts.
import { ASSUMPTIONS, costPerMillion, PRICES, straightforwardWork } from "../lib/cost.mjs";
import { dollars, num, table } from "../lib/format.mjs";

const FAN_OUT = 3;
const sum = (entries, key) => entries.reduce((total, entry) => total + (entry[key] ?? 0), 0);

/** Turns a counter snapshot, the CPU spent and the deliveries made into work per delivery. */
export function workOf(snapshot, cpu, { changes, deliveries }) {
  const consumers = Object.entries(snapshot).filter(([label]) => label.startsWith("queue:"));
  const all = Object.values(snapshot);
  const fetch = snapshot.fetch ?? { invocations: 0 };
  const fanOut = consumers.find(([label]) => label.endsWith("-changes"))?.[1] ?? { invocations: 0 };
  const sent = all.flatMap((entry) => Object.values(entry.sent));
  const per = (value) => value / deliveries;
  const batches = Object.fromEntries(
    consumers.map(([label, c]) => [
      label.slice("queue:".length),
      {
        invocations: c.invocations,
        messages_per_invocation: c.messagesReceived / Math.max(1, c.invocations),
        d1_reads_per_invocation: (c.d1Reads + c.d1Runs) / Math.max(1, c.invocations),
        d1_batches_per_invocation: c.d1Batches / Math.max(1, c.invocations),
      },
    ]),
  );
  const cpuMs = (cpu.worker ?? 0) + (cpu["dev proxy"] ?? 0);
  return {
    changes,
    deliveries,
    per_consumer_batch: batches,
    worker_requests: per(fetch.invocations),
    consumer_invocations: per(
      sum(
        consumers.map(([, c]) => c),
        "invocations",
      ),
    ),
    fan_out_invocations: per(fanOut.invocations),
    queue_messages: per(sum(sent, "messages")),
    delayed_messages: per(sum(sent, "delayed")),
    guard_messages: per(sum(sent, "guards")),
    queue_ops: per(sum(sent, "writeOps") + sum(all, "readOps") + sum(all, "deleteOps")),
    change_queue_ops: per(
      (fetch.sent?.CHANGES?.writeOps ?? 0) + (fanOut.readOps ?? 0) + (fanOut.deleteOps ?? 0),
    ),
    d1_queries: per(sum(all, "d1Reads") + sum(all, "d1Runs") + sum(all, "d1Batches")),
    d1_rows_read: per(sum(all, "d1RowsRead")),
    d1_rows_written: per(sum(all, "d1RowsWritten")),
    do_calls: per(sum(all, "doCalls")),
    do_call_ms: per(sum(all, "doCallMs")),
    do_rows_written: per(sum(all, "doRowsWritten")),
    cpu_ms: per(cpuMs),
    cpu_ms_worker: per(cpu.worker ?? 0),
    cpu_ms_dev_proxy: per(cpu["dev proxy"] ?? 0),
    cpu_ms_wrangler_not_counted: per(cpu.wrangler ?? 0),
  };
}

const SHAPES = {
  single: (profile) => ({
    shape: `single changes, ${profile.workRate}/s`,
    account: "bench-work-single",
    changes: Math.round(profile.workRate * profile.workSeconds),
    send: (pipe, account) =>
      pipe.steady(account, { rate: profile.workRate, seconds: profile.workSeconds, prefix: "w" }),
  }),
  batched: (profile) => ({
    shape: "100 changes per request",
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
 * first write creates each request log object, which can take long enough to be handed off to
 * the slow lane, and its guard comes back 25 s later — it must not land in a measured window.
 */
export async function prepareWork({ receiver, pipe, profile }) {
  for (const make of Object.values(SHAPES)) {
    const { account, shape } = make(profile);
    await pipe.seed({ account_id: account, count: FAN_OUT, url: receiver.url("fast", account) });
    await pipe.ingest(pipe.change(account, "warm-up"));
    await pipe.collect({ expected: FAN_OUT, filter: (a) => a.label === account, what: `${shape} warm-up` });
  }
}

async function measure({ pipe, service, profile, progress }, { shape, account, changes, send }) {
  const mine = (arrival) => arrival.label === account;
  await pipe.waitIdle({ delayed: profile.waitForGuards });
  progress(`4. work, ${shape}: ${changes} changes × ${FAN_OUT} webhooks`);
  await pipe.resetCounters();
  const before = service.cpu();
  await send(pipe, account);
  const arrivals = await pipe.collect({ expected: changes * FAN_OUT, filter: mine, what: `work, ${shape}` });
  // Slow-lane guards are part of the work: in a full run, wait until they are consumed too.
  const snapshot = await pipe.waitIdle({ delayed: profile.waitForGuards });
  const after = service.cpu();
  const cpu = Object.fromEntries(Object.keys(after).map((role) => [role, after[role] - (before[role] ?? 0)]));
  const work = workOf(snapshot, cpu, { changes, deliveries: changes * FAN_OUT });
  work.attempts = arrivals.length;
  work.do_calls_per_attempt = sum(Object.values(snapshot), "doCalls") / arrivals.length;
  return {
    shape,
    work,
    cost: costPerMillion(work),
    counters: snapshot,
    guards_waited_for: profile.waitForGuards,
  };
}

export async function workSection(ctx) {
  const single = await measure(ctx, SHAPES.single(ctx.profile));
  const batched = await measure(ctx, SHAPES.batched(ctx.profile));
  const straightforward = costPerMillion(straightforwardWork(single.work));
  return { single, batched, straightforward, printed: print(single, batched, straightforward) };
}

const perBatchText = (b) =>
  b
    ? `${num(b.d1_reads_per_invocation)} / ${num(b.d1_batches_per_invocation)} ` +
      `(${b.invocations} batches of ${num(b.messages_per_invocation)} messages)`
    : "–";

function goalRows(single, batched) {
  const queues = new Set([
    ...Object.keys(single.work.per_consumer_batch),
    ...Object.keys(batched.work.per_consumer_batch),
  ]);
  return [...queues].map((queue) => [
    `${queue}: D1 reads / batch() writes per consumer batch (goal ≤ 1 / ≤ 1)`,
    perBatchText(single.work.per_consumer_batch[queue]),
    perBatchText(batched.work.per_consumer_batch[queue]),
  ]);
}

function print(single, batched, straightforward) {
  const w1 = single.work;
  const w2 = batched.work;
  const line = (label, key) => [
    label,
    num(w1[key] * FAN_OUT),
    num(w1[key]),
    num(w2[key] * FAN_OUT),
    num(w2[key]),
  ];
  const work = table(
    ["per …", `change (${single.shape})`, "delivery", `change (${batched.shape})`, "delivery"],
    [
      line("Worker requests (ingest)", "worker_requests"),
      line("consumer invocations", "consumer_invocations"),
      line("queue messages sent", "queue_messages"),
      line("… of them slow-lane guards (one per attempt handed off)", "guard_messages"),
      line("queue operations (write + read + delete)", "queue_ops"),
      line("D1 queries (round trips)", "d1_queries"),
      line("D1 rows read", "d1_rows_read"),
      line("D1 rows written", "d1_rows_written"),
      line("Durable Object calls", "do_calls"),
      line("Durable Object SQLite rows written", "do_rows_written"),
      line("Durable Object call time (ms)", "do_call_ms"),
      line("CPU ms, workerd: the Worker", "cpu_ms_worker"),
      line("CPU ms, workerd: wrangler dev's proxy", "cpu_ms_dev_proxy"),
    ],
  );
  const goals = table(
    ["goal", single.shape, batched.shape],
    [
      ...goalRows(single, batched),
      [
        "Durable Object calls per attempt (goal ≤ 1)",
        num(w1.do_calls_per_attempt),
        num(w2.do_calls_per_attempt),
      ],
    ],
  );
  const cost = table(
    [
      "$ per million deliveries, fan-out 3",
      single.shape,
      batched.shape,
      `straightforward design (${single.shape})`,
    ],
    [
      ...Object.keys(PRICES).map((key) => [
        `${PRICES[key].what} ($${PRICES[key].usd} per million)`,
        dollars(single.cost.dollars[key], 3),
        dollars(batched.cost.dollars[key], 3),
        dollars(straightforward.dollars[key], 3),
      ]),
      [
        "total (goal ≤ $2.50)",
        dollars(single.cost.total),
        dollars(batched.cost.total),
        dollars(straightforward.total),
      ],
    ],
  );
  return `${work}\n\n${goals}\n\n${cost}\n\nAssumptions:\n${ASSUMPTIONS.map((a) => `- ${a}`).join("\n")}`;
}
