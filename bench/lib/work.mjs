// Work per delivery from a counter snapshot of the bench's Worker and the CPU its processes spent.
import { d1RoundTrips, kinds, sentPerQueue, sumOf } from "./counted.mjs";

/** @import { CounterSnapshot } from "../worker/counters.ts" */
/** @import { CpuByRole } from "./service.mjs" */
/** @import { Work } from "./cost.mjs" */

/** @param {Record<string, number>} record */
const total = (record) => Object.values(record).reduce((a, b) => a + b, 0);

/** Per consumer queue: invocations, messages per invocation, D1 reads and batch() writes per invocation. @param {CounterSnapshot} snapshot */
function perConsumer(snapshot) {
  return Object.fromEntries(
    Object.entries(snapshot)
      .filter(([label]) => label.startsWith("queue:"))
      .map(([label, c]) => [
        label.slice("queue:".length),
        {
          invocations: c.invocations,
          messages_per_invocation: c.messagesReceived / Math.max(1, c.invocations),
          d1_reads_per_invocation: (c.d1Reads + c.d1Runs) / Math.max(1, c.invocations),
          d1_batches_per_invocation: c.d1Batches / Math.max(1, c.invocations),
        },
      ]),
  );
}

/**
 * A counter snapshot, the CPU spent and the deliveries made as work per delivery.
 * @param {CounterSnapshot} snapshot
 * @param {CpuByRole} cpu
 * @param {{ changes: number, deliveries: number }} made
 */
export function workOf(snapshot, cpu, { changes, deliveries }) {
  /** @param {number} value */
  const per = (value) => value / deliveries;
  const all = kinds(snapshot);
  /** @type {Work} */
  const work = {
    worker_requests: per(sumOf(snapshot, "invocations", "fetch")),
    consumer_invocations: per(sumOf(snapshot, "invocations", "queue:")),
    cpu_ms: per((cpu.worker ?? 0) + (cpu["dev proxy"] ?? 0)),
    queue_ops: per(
      total(sentPerQueue(snapshot, "writeOps")) + sumOf(snapshot, "readOps") + sumOf(snapshot, "deleteOps"),
    ),
    d1_rows_read: per(sumOf(snapshot, "d1RowsRead")),
    d1_rows_written: per(sumOf(snapshot, "d1RowsWritten")),
    do_calls: per(sumOf(snapshot, "doCalls")),
    do_alarms: per(sumOf(snapshot, "invocations", "object:")),
    do_call_ms: per(sumOf(snapshot, "doCallMs")),
    do_rows_read: per(sumOf(snapshot, "doRowsRead")),
    do_rows_written: per(sumOf(snapshot, "doRowsWritten")),
  };
  /** @type {Record<string, number>} */
  const byMethod = {};
  for (const entry of all)
    for (const [method, n] of Object.entries(entry.doCallsByMethod))
      byMethod[method] = (byMethod[method] ?? 0) + per(n);
  return {
    changes,
    deliveries,
    ...work,
    per_consumer: perConsumer(snapshot),
    queue_messages: Object.fromEntries(Object.entries(sentPerQueue(snapshot)).map(([q, n]) => [q, per(n)])),
    delayed_messages: per(total(sentPerQueue(snapshot, "delayed"))),
    d1_queries: per(d1RoundTrips(snapshot)),
    do_calls_by_method: byMethod,
    cpu_ms_worker: per(cpu.worker ?? 0),
    cpu_ms_dev_proxy: per(cpu["dev proxy"] ?? 0),
    cpu_ms_wrangler_not_counted: per(cpu.wrangler ?? 0),
  };
}
