// 6. Order under failures: one receiver fails the first attempt of every change; 10 changes per
// entity over 100 entities are pushed round after round (a batch of 100 per request), so that
// each entity's next change comes while the one before waits for its retry. Reported: how many
// deliveries reached the receiver in the order they were accepted (must be 100 %), and what the
// failures and holds add per delivery against the same pushes to a receiver that answers at once.
import { inOrder, spanSeconds } from "../lib/arrivals.mjs";
import { costPerMillion } from "../lib/cost.mjs";
import { dollars, num, table } from "../lib/format.mjs";
import { cpuSpent } from "../lib/service.mjs";
import { workOf } from "../lib/work.mjs";

/** @import { Context } from "../run.mjs" */

/** @param {Context} ctx @param {"fast" | "flaky"} kind */
async function run({ pipe, receiver, service, profile, progress }, kind) {
  const account = `bench-order-${kind}`;
  const { orderEntities: entities, orderChangesPerEntity: perEntity } = profile;
  await pipe.seed({ account_id: account, count: 1, url: receiver.url(kind, account) });
  // One delivery first, unmeasured: it creates the webhook's object (and its tables).
  await pipe.ingest(pipe.change(account, "warm-up", { result: { n: 0 } }));
  await pipe.collect({
    expected: kind === "flaky" ? 2 : 1,
    filter: (a) => a.label === account,
    what: `order, ${kind} warm-up`,
  });
  await pipe.waitIdle({ delayed: true });
  progress(`6. order, ${kind} receiver: ${perEntity} changes × ${entities} entities`);
  await pipe.resetCounters();
  const before = service.cpu();
  for (let n = 0; n < perEntity; n++) {
    const round = Array.from({ length: entities }, (_, e) =>
      pipe.change(account, `e${e}`, { result: { n, name: "Ada Lovelace" } }),
    );
    await pipe.ingestAll(round, { perRequest: 100, concurrency: 1 });
  }
  const deliveries = entities * perEntity;
  const attempts = kind === "flaky" ? 2 * deliveries : deliveries;
  const arrivals = await pipe.collect({
    expected: attempts,
    filter: (a) => a.label === account,
    what: `order, ${kind}`,
  });
  const snapshot = await pipe.waitIdle({ delayed: true });
  const work = workOf(snapshot, cpuSpent(before, service.cpu()), { changes: deliveries, deliveries });
  return {
    kind,
    deliveries,
    inOrder: inOrder(arrivals),
    seconds: spanSeconds(arrivals),
    work,
    cost: costPerMillion(work),
  };
}

/** @param {Context} ctx */
export async function orderSection(ctx) {
  const fast = await run(ctx, "fast");
  const flaky = await run(ctx, "flaky");
  const extra = (flaky.cost.total - fast.cost.total) / 1e6;
  return { fast, flaky, extra_dollars_per_delivery: extra, printed: print(fast, flaky, extra) };
}

/** @param {Awaited<ReturnType<typeof run>>} fast @param {Awaited<ReturnType<typeof run>>} flaky @param {number} extra */
function print(fast, flaky, extra) {
  /** @param {Awaited<ReturnType<typeof run>>} r */
  const row = (r) => [
    r.kind === "fast" ? "answers at once" : "fails every first attempt",
    r.deliveries,
    r.inOrder.delivered,
    `${num((100 * r.inOrder.ordered) / Math.max(1, r.deliveries))} %`,
    `${num(r.seconds)} s`,
    num(r.work.do_calls + r.work.do_alarms),
    num(r.work.do_rows_written),
    num(r.work.queue_ops),
    dollars(r.cost.total),
  ];
  return `${table(
    [
      "receiver",
      "deliveries",
      "delivered (2xx)",
      "in order (goal 100 %)",
      "first to last arrival",
      "DO requests / delivery",
      "DO rows written / delivery",
      "queue ops / delivery",
      "$ per million deliveries",
    ],
    [row(fast), row(flaky)],
  )}\n\nExtra cost of a delivery whose first attempt fails and whose follower waits behind it: ${dollars(extra * 1e6)} per million (${((extra * 1e6) / Math.max(1e-9, fast.cost.total)).toFixed(1)} × the healthy cost on top).`;
}
