// 5. Scaling: ingest and fan-out as an account grows to 10, 1,000 and 10,000 webhooks of which
// only 3 match the benchmark change. Fan-out looks webhooks up by webhook_subscriptions' primary
// key, so its D1 rows read per change should stay flat; the query plan shows the index in use.

import { consumerOf } from "../lib/counted.mjs";
import { fixed, num, table } from "../lib/format.mjs";
import { closedLoop } from "../lib/http.mjs";
import { now } from "../lib/receiver.mjs";

/** @import { Context } from "../run.mjs" */
/** @import { Pipeline } from "../lib/pipeline.mjs" */
/** @import { Receiver } from "../lib/receiver.mjs" */
/** @typedef {{ id: number, parent: number, detail: string }} PlanStep */

const MATCHING = 3;
const EVENT = "ev_bench";

/**
 * 3 webhooks that want the change, the rest subscribed to another trigger or another event.
 * @param {Pipeline} pipe
 * @param {Receiver} receiver
 * @param {string} account
 * @param {number} total
 */
async function seedAccount(pipe, receiver, account, total) {
  const started = now();
  const fast = receiver.url("fast", account);
  const elsewhere = receiver.url("fast", "never");
  await pipe.seed({ account_id: account, count: 1, url: fast });
  await pipe.seed({
    account_id: account,
    count: 2,
    url: fast,
    triggers: ["user.update"],
    event_ids: [EVENT],
  });
  const others = total - MATCHING;
  const otherTrigger = Math.floor(others / 2);
  if (otherTrigger > 0)
    await pipe.seed({
      account_id: account,
      count: otherTrigger,
      url: elsewhere,
      triggers: ["company.delete"],
    });
  if (others - otherTrigger > 0)
    await pipe.seed({
      account_id: account,
      count: others - otherTrigger,
      url: elsewhere,
      triggers: ["user.update"],
      event_ids: ["ev_other"],
    });
  return (now() - started) / 1000;
}

/** @param {Context} ctx */
export async function scalingSection({ client, receiver, pipe, profile, progress }) {
  const rows = [];
  /** @type {{ plan: PlanStep[] }} */
  let plan = { plan: [] };
  for (const total of profile.scalingSizes) {
    const account = `bench-scale-${total}`;
    progress(`5. scaling: seeding ${total} webhooks`);
    const seedSeconds = await seedAccount(pipe, receiver, account, total);
    /** @param {string} entity */
    const change = (entity) => pipe.change(account, entity, { event_ids: [EVENT] });
    /** @param {{ label: string }} arrival */
    const mine = (arrival) => arrival.label === account;

    let entity = 0;
    const ingest = await closedLoop(client, {
      concurrency: 16,
      durationMs: profile.scalingIngestMs,
      send: (c) => c.request("POST", "/v1/changes", { body: change(`s${entity++}`), headers: pipe.auth }),
    });
    await pipe.collect({ expected: ingest.ok * MATCHING, filter: mine, what: `scaling ${total}, ingest` });
    await pipe.waitIdle();

    await pipe.resetCounters();
    const changes = Array.from({ length: profile.scalingChanges }, (_, i) => change(`f${i}`));
    await pipe.ingestAll(changes, { perRequest: 100 });
    await pipe.collect({
      expected: changes.length * MATCHING,
      filter: mine,
      what: `scaling ${total}, fan-out`,
    });
    const snapshot = await pipe.waitIdle();
    const fanOut = consumerOf(snapshot, "-changes");
    if (!fanOut) throw new Error("no fan-out consumer invocation was counted");
    const row = {
      webhooks: total,
      matching: MATCHING,
      seed_seconds: seedSeconds,
      ingest_changes_per_s: ingest.perSecond,
      changes: changes.length,
      fan_out_batches: fanOut.invocations,
      d1_reads_per_batch: (fanOut.d1Reads + fanOut.d1Runs) / fanOut.invocations,
      d1_batch_writes_per_batch: fanOut.d1Batches / fanOut.invocations,
      d1_rows_read_per_change: fanOut.d1RowsRead / changes.length,
      d1_rows_written_per_change: fanOut.d1RowsWritten / changes.length,
      fan_out_batch_ms: fanOut.wallMs / fanOut.invocations,
    };
    rows.push(row);
    progress(
      `5. scaling ${total}: ingest ${fixed(row.ingest_changes_per_s)} changes/s, ` +
        `${num(row.d1_rows_read_per_change)} D1 rows read per change`,
    );
    plan = await client.json(
      "GET",
      `/__bench/explain?account_id=${account}&trigger=user.update&event_id=${EVENT}`,
    );
  }
  const usesIndexes = plan.plan.every((step) => !/^SCAN (s|w)\b/.test(step.detail));
  const printed = `${table(
    [
      "webhooks in account",
      "matching",
      "seeded in",
      "ingest changes/s (c=16)",
      "fan-out batches",
      "D1 reads / batch() writes per batch",
      "D1 rows read per change",
      "D1 rows written per change",
      "fan-out batch time",
    ],
    rows.map((r) => [
      r.webhooks,
      r.matching,
      `${r.seed_seconds.toFixed(1)} s`,
      fixed(r.ingest_changes_per_s),
      r.fan_out_batches,
      `${num(r.d1_reads_per_batch)} / ${num(r.d1_batch_writes_per_batch)}`,
      num(r.d1_rows_read_per_change),
      num(r.d1_rows_written_per_change),
      `${fixed(r.fan_out_batch_ms)} ms`,
    ]),
  )}\n\nEXPLAIN QUERY PLAN of the fan-out query (${rows.at(-1)?.webhooks} webhooks):\n${plan.plan
    .map((step) => `  ${step.detail}`)
    .join(
      "\n",
    )}\n${usesIndexes ? "Both tables are searched by index (no SCAN of webhook_subscriptions or webhooks)." : "WARNING: a table is scanned."}`;
  return { rows, plan: plan.plan, uses_indexes: usesIndexes, printed };
}
