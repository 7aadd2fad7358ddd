// Order per entity over random interleavings of pushes, receiver failures and retries, through the
// real consumers and the webhook's object (time moved on by hand): a receiver never gets an older
// change of an entity after a newer one, ends on the last change accepted unless that one failed
// for good, and every accepted change is delivered or recorded failed. Pushed in order, no change
// is ever superseded: each waits its turn instead.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { call, createWebhook, newCaller } from "../helpers";
import {
  changeMessage,
  later,
  pendingOf,
  QUEUES,
  runAlarm,
  runBatch,
  spyReceiver,
  wake,
  withFakeDate,
} from "../queue-helpers";

withFakeDate();

const ENTITIES = [1, 2, 3];
/** Push a batch of changes (of these entities, in array order), or let time pass and wake the consumer. */
type Op = { push: number[] } | { waitMs: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ push: fc.array(fc.constantFrom(...ENTITIES), { minLength: 1, maxLength: 3 }) }),
  fc.record({ waitMs: fc.integer({ min: 0, max: 2500 }) }),
);

interface Accepted {
  n: number;
  entity: number;
}

async function play(ops: Op[], failures: boolean[]) {
  const caller = await newCaller();
  const webhook = await createWebhook(caller);
  // Attempt k fails when failures[k] says so: some deliveries fail a few times, some for good.
  const { received } = spyReceiver(
    (_req, k) => new Response(null, { status: failures[(k - 1) % failures.length] ? 500 : 200 }),
  );
  const accepted: Accepted[] = [];
  for (const step of ops) {
    if ("push" in step) {
      const batch = step.push.map((entity) => {
        accepted.push({ n: accepted.length, entity });
        return changeMessage({
          account_id: caller.account,
          entity_id: entity,
          result: { n: accepted.length - 1 },
        });
      });
      expect((await runBatch(QUEUES.changes, batch)).acked.every(Boolean)).toBe(true);
    } else {
      later(step.waitMs);
      await wake(webhook.id);
    }
  }
  // RETRY_DELAYS_S=1,1,1: at most 4 attempts a change, and each wake makes one at least (changes
  // of one entity that fail every attempt go one after the other).
  for (let i = 0; i < 4 * accepted.length + 5 && (await pendingOf(webhook.id)).length > 0; i++) {
    later(1500); // whatever waits is due again
    await wake(webhook.id);
  }
  expect(await pendingOf(webhook.id)).toEqual([]);
  await runAlarm(webhook.id);
  const failed = (await call("GET", `/v1/webhooks/${webhook.id}/failed`, { token: caller.token })).body.data;
  const answered = received.flatMap((request, k) =>
    failures[k % failures.length]
      ? []
      : [JSON.parse(request.body) as { entity_id: number; result: { n: number } }],
  );
  return { accepted, answered, failed: failed as { entity_id: number; body: string; reason: string }[] };
}

describe("order per entity", () => {
  it("holds over random pushes, failures and retries, and nothing accepted goes missing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 10 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        async (ops, failures) => {
          const { accepted, answered, failed } = await play(ops, failures);
          const failedN = new Set(
            failed.map((f) => (JSON.parse(f.body) as { result: { n: number } }).result.n),
          );
          for (const entity of ENTITIES) {
            const delivered = answered.filter((a) => a.entity_id === entity).map((a) => a.result.n);
            // Never an older change after a newer one.
            expect(delivered).toEqual([...delivered].sort((a, b) => a - b));
            const last = accepted.filter((a) => a.entity === entity).at(-1);
            if (last && !failedN.has(last.n)) expect(delivered.at(-1)).toBe(last.n);
          }
          const deliveredN = new Set(answered.map((a) => a.result.n));
          for (const change of accepted) expect(deliveredN.has(change.n) || failedN.has(change.n)).toBe(true);
          // Changes came in order, so none was overtaken: what failed, failed at its receiver.
          expect(failed.filter((f) => f.reason !== "exhausted")).toEqual([]);
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000); // 30 runs of a few batches each: seconds, more on a busy machine
});
