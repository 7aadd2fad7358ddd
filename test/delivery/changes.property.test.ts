// The engine's promises over random interleavings of everything that moves it: pushes, receivers
// that fail or answer slowly (the slow lane takes those over), PATCHes of the URL and of a custom
// header, secret rotations, switching the webhook off and on, redelivering a failed delivery and
// recover — through the real consumers and the webhook's object, time moved on by hand. What the
// receiver saw and what the API lists must show:
// - per entity, never an older change after a newer one, and, once everything is recovered and
//   drained, the last change accepted while the webhook was active is the last one delivered;
// - no exchange starts with a configuration older than a change already answered (its URL, its
//   header value, its current signing secret signing first), also when the change comes while a
//   consumer is sending (it is made from inside an exchange, and answers while the run goes on);
// - a failed delivery is marked recovered exactly when a re-sent attempt of it was answered 2xx.
import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import { adminToken, call, createWebhook, newCaller } from "../helpers";
import {
  changeMessage,
  later,
  pendingOf,
  QUEUES,
  type Received,
  runBatch,
  spyReceiver,
  wake,
  withFakeDate,
} from "../queue-helpers";

withFakeDate();

const ENTITIES = [1, 2, 3];
const URLS = ["https://a.example.com/in", "https://b.example.com/in"];

type Op =
  | { push: number[] }
  | { waitMs: number }
  | { patch: "url" | "header" }
  | { rotate: true }
  /** The change is made while a consumer is sending: from inside the next exchange, not awaited there. */
  | { during: "url" | "header" | "rotate" }
  | { active: boolean }
  | { redeliver: true }
  | { recover: true };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ push: fc.array(fc.constantFrom(...ENTITIES), { minLength: 1, maxLength: 4 }) }),
  },
  { weight: 3, arbitrary: fc.record({ waitMs: fc.integer({ min: 0, max: 2500 }) }) },
  { weight: 1, arbitrary: fc.record({ patch: fc.constantFrom("url" as const, "header" as const) }) },
  { weight: 1, arbitrary: fc.record({ rotate: fc.constant(true as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({ during: fc.constantFrom("url" as const, "header" as const, "rotate" as const) }),
  },
  { weight: 1, arbitrary: fc.record({ active: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ redeliver: fc.constant(true as const) }) },
  { weight: 1, arbitrary: fc.record({ recover: fc.constant(true as const) }) },
);

/** How the receiver answers attempt k (1-based): fail or not, and whether only after the slow lane's limit. */
interface Answers {
  failures: boolean[];
  slow: boolean[];
}

/** The configuration a request must be made with once the change that set it has answered. */
interface Config {
  url: string;
  header: string;
  secret: string;
}

interface Seen extends Received {
  /** The configuration that was current (answered) when the exchange started. */
  current: Config;
  status: number;
  at: number;
}

const nOf = (request: Received) => (JSON.parse(request.body) as { result: { n: number } }).result.n;
const entityOf = (request: Received) => (JSON.parse(request.body) as { entity_id: number }).entity_id;

/** The request's first signature (the current key's) verifies with `secret`. */
function signedFirstBy(request: Received, secret: string): boolean {
  const [first] = (request.headers["webhook-signature"] ?? "").split(" ");
  try {
    new Webhook(secret).verify(request.body, { ...request.headers, "webhook-signature": first ?? "" });
    return true;
  } catch {
    return false;
  }
}

async function play(ops: Op[], answers: Answers) {
  const caller = await newCaller();
  const api = async (method: string, path: string, json?: unknown) => {
    // A fresh token each time: the fake clock moves on by hours.
    const token = await adminToken({ account_id: caller.account, sub: caller.sub });
    return call(method, `/v1/webhooks${path}`, { token, json });
  };
  const webhook = await createWebhook(caller, { url: URLS[0], headers: { "x-api-key": "key-0" } });
  let current: Config = { url: URLS[0] as string, header: "key-0", secret: webhook.secret };
  let changes = 0;
  /** Makes a change; `current` becomes what it set once it has answered. */
  const change = async (what: "url" | "header" | "rotate") => {
    changes++;
    if (what === "rotate") {
      const res = await api("POST", `/${webhook.id}/secret/rotate`);
      expect(res.status, res.text).toBe(200);
      current = { ...current, secret: res.body.secret };
      return;
    }
    const next =
      what === "url" ? { url: URLS[changes % 2] as string } : { headers: { "x-api-key": `key-${changes}` } };
    const res = await api("PATCH", `/${webhook.id}`, next);
    expect(res.status, res.text).toBe(200);
    if (what === "url") current = { ...current, url: res.body.url };
    else current = { ...current, header: res.body.headers["x-api-key"] };
  };
  /** A change to make as soon as an exchange is under way (from the test's side: the exchange goes on). */
  let armed: "url" | "header" | "rotate" | null = null;
  let exchanging = false;
  const underway: Promise<void>[] = [];
  /** Runs an op; an armed change is made while the op's first exchange is under way. */
  const withArmedChange = async (op: () => Promise<unknown>) => {
    const what = armed;
    if (!what) return void (await op());
    exchanging = false;
    let over = false;
    const fire = (async () => {
      await vi.waitUntil(() => exchanging || over, { interval: 1, timeout: 60_000 });
      if (!exchanging) return;
      armed = null;
      await change(what);
    })();
    await op();
    over = true;
    underway.push(fire);
  };
  const seen: Seen[] = [];
  spyReceiver(async (request, k) => {
    const status = answers.failures[(k - 1) % answers.failures.length] ? 500 : 200;
    seen.push({ ...request, current, status, at: Date.now() });
    exchanging = true;
    // Slower than the slow lane's limit (100 ms locally): the attempt is handed off.
    if (answers.slow[(k - 1) % answers.slow.length]) await new Promise((resolve) => setTimeout(resolve, 150));
    return new Response(null, { status });
  });
  const accepted: { n: number; entity: number; active: boolean }[] = [];
  let active = true;
  const failed = async () =>
    (await api("GET", `/${webhook.id}/failed?limit=100`)).body.data as {
      id: string;
      message_id: string;
      reason: string;
      failed_at: string;
      recovered_at: string | null;
    }[];
  const recoverAll = () => api("POST", `/${webhook.id}/recover`, { since: "2000-01-01T00:00:00Z" });
  for (const step of ops) {
    // Changes are made one at a time (what `current` says must be what was answered last).
    if (!("push" in step || "waitMs" in step)) await Promise.all(underway);
    if ("push" in step) {
      const batch = step.push.map((entity) => {
        const n = accepted.length;
        accepted.push({ n, entity, active });
        return changeMessage({ account_id: caller.account, entity_id: entity, result: { n } });
      });
      await withArmedChange(async () =>
        expect((await runBatch(QUEUES.changes, batch)).acked.every(Boolean)).toBe(true),
      );
    } else if ("waitMs" in step) {
      later(step.waitMs);
      await withArmedChange(() => wake(webhook.id));
    } else if ("patch" in step) {
      await change(step.patch);
    } else if ("rotate" in step) {
      await change("rotate");
    } else if ("during" in step) {
      armed = step.during;
    } else if ("active" in step) {
      const res = await api("PATCH", `/${webhook.id}`, { is_active: step.active });
      expect(res.status, res.text).toBe(200);
      active = step.active;
    } else if ("redeliver" in step) {
      const open = (await failed()).find((f) => f.recovered_at === null && f.reason !== "superseded");
      if (open)
        await withArmedChange(async () =>
          expect([200, 409]).toContain(
            (await api("POST", `/${webhook.id}/failed/${open.id}/redeliver`)).status,
          ),
        );
    } else if (active) {
      expect((await recoverAll()).status).toBe(202);
    }
  }
  await Promise.all(underway);
  armed = null;
  // The end: switched on, everything failed recovered, and a healthy receiver until nothing waits.
  if (!active) expect((await api("PATCH", `/${webhook.id}`, { is_active: true })).status).toBe(200);
  answers.failures = [false];
  answers.slow = [false];
  expect((await recoverAll()).status).toBe(202);
  for (let i = 0; i < 30 && (await pendingOf(webhook.id)).length > 0; i++) {
    later(leaseEnough);
    await wake(webhook.id);
  }
  expect(await pendingOf(webhook.id)).toEqual([]);
  return { accepted, seen, failed: await failed() };
}

/** Past any retry's wait (RETRY_DELAYS_S=1,1,1, ±20 %) and any lease of an attempt that went quiet. */
const leaseEnough = 60_000;

describe("the delivery engine, over random pushes, failures, slow answers, changes to its webhook, redeliveries and recovers", () => {
  it("keeps order per entity, sends nothing with an old configuration once a change answered, and marks exactly the re-sent deliveries that landed as recovered", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        async (ops, failures, slow) => {
          const { accepted, seen, failed } = await play(ops, { failures, slow });
          const landed = seen.filter((request) => request.status === 200);
          for (const entity of ENTITIES) {
            const delivered = landed.filter((request) => entityOf(request) === entity).map(nOf);
            // Never an older change after a newer one (the same one twice may come: receivers dedupe).
            expect(delivered).toEqual([...delivered].sort((a, b) => a - b));
            const last = accepted.filter((a) => a.entity === entity && a.active).at(-1);
            if (last) expect(delivered.at(-1)).toBe(last.n);
          }
          for (const request of seen) {
            expect(request.url).toBe(request.current.url);
            expect(request.headers["x-api-key"]).toBe(request.current.header);
            expect(signedFirstBy(request, request.current.secret)).toBe(true);
          }
          for (const f of failed) {
            const resentAndLanded = landed.some(
              (request) =>
                request.headers["webhook-id"] === f.message_id && request.at >= Date.parse(f.failed_at),
            );
            if (f.reason !== "superseded")
              expect(f.recovered_at !== null, JSON.stringify(f)).toBe(resentAndLanded);
          }
        },
      ),
      { numRuns: 50 },
    );
  }, 240_000);
});
