// 7. Pacing: a webhook with max_per_second at 10 and at 100 gets a burst of changes (10 entities,
// round after round, pushed 100 per request) far faster than its limit. Reported: the rate the
// receiver saw against the one set, the busiest second, whether every change arrived and in order
// per entity, and the cost per million of paced deliveries (the waiting ones wait in the
// webhook's object, woken by its alarm).
import { busiestSecond, inOrder, spanSeconds } from "../lib/arrivals.mjs";
import { costPerMillion } from "../lib/cost.mjs";
import { dollars, num, table } from "../lib/format.mjs";
import { cpuSpent } from "../lib/service.mjs";
import { workOf } from "../lib/work.mjs";

/** @import { Context } from "../run.mjs" */

const ENTITIES = 10;

/** @param {Context} ctx @param {number} limit */
async function run({ pipe, receiver, service, profile, progress }, limit) {
  const account = `bench-pacing-${limit}`;
  const deliveries = limit * profile.pacingSecondsOfWork;
  await pipe.seed({
    account_id: account,
    count: 1,
    url: receiver.url("fast", account),
    max_per_second: limit,
  });
  // One delivery first, unmeasured: it creates the webhook's object (and its tables); then the
  // pacer's window has passed.
  await pipe.ingest(pipe.change(account, "warm-up", { result: { n: 0 } }));
  await pipe.collect({ expected: 1, filter: (a) => a.label === account, what: `pacing ${limit}/s warm-up` });
  await pipe.waitIdle({ delayed: true });
  await new Promise((resolve) => setTimeout(resolve, 1100));
  progress(`7. pacing: ${deliveries} changes to a webhook at max_per_second ${limit}`);
  await pipe.resetCounters();
  const before = service.cpu();
  const changes = Array.from({ length: deliveries }, (_, i) =>
    pipe.change(account, `e${i % ENTITIES}`, { result: { n: Math.floor(i / ENTITIES) } }),
  );
  await pipe.ingestAll(changes, { perRequest: 100, concurrency: 1 });
  const arrivals = await pipe.collect({
    expected: deliveries,
    filter: (a) => a.label === account,
    timeoutMs: (deliveries / limit) * 1000 + 60_000,
    what: `pacing ${limit}/s`,
  });
  const snapshot = await pipe.waitIdle({ delayed: true });
  const work = workOf(snapshot, cpuSpent(before, service.cpu()), { changes: deliveries, deliveries });
  const span = spanSeconds(arrivals);
  return {
    limit,
    deliveries,
    inOrder: inOrder(arrivals),
    seconds: span,
    // The first second's allowance starts at once; every later delivery waits for its slot.
    achieved_per_second: span > 0 ? (arrivals.length - limit) / span : null,
    busiest_second: busiestSecond(arrivals),
    work,
    cost: costPerMillion(work),
  };
}

/** @param {Context} ctx */
export async function pacingSection(ctx) {
  const runs = [];
  for (const limit of ctx.profile.pacingLimits) runs.push(await run(ctx, limit));
  return { runs, printed: print(runs) };
}

/** @param {Awaited<ReturnType<typeof run>>[]} runs */
function print(runs) {
  return table(
    [
      "max_per_second",
      "deliveries",
      "delivered (2xx)",
      "in order",
      "first to last arrival",
      "achieved per second (after the first second)",
      "busiest second",
      "DO requests / delivery",
      "$ per million deliveries",
    ],
    runs.map((r) => [
      r.limit,
      r.deliveries,
      r.inOrder.delivered,
      `${num((100 * r.inOrder.ordered) / Math.max(1, r.deliveries))} %`,
      `${num(r.seconds)} s (ideal ${num(r.deliveries / r.limit - 1)} s)`,
      r.achieved_per_second === null
        ? "–"
        : `${num(r.achieved_per_second)} (${num((100 * r.achieved_per_second) / r.limit)} % of set)`,
      r.busiest_second,
      num(r.work.do_calls + r.work.do_alarms),
      dollars(r.cost.total),
    ]),
  );
}
