// Receivers misbehaving, seen from the deliveries consumer: for each fault the log entry, the
// retry's wait against the schedule in force (W = 100 s ±20 %, Retry-After within [W, 2W], the
// overload floor 150 s after a timeout or 429), and the end: delivered on the retry with the
// same webhook-id, or recorded as a failed delivery. The real-receiver matrix is test/faults/.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { faultTally } from "../fault-tally";
import { call, createWebhook, newCaller } from "../helpers";
import { captureQueue, deliveryMessage, dnsAnswer, QUEUES, runBatch, spyReceiver } from "../queue-helpers";

const faults = faultTally("receiver faults (consumer level)");
// The slow lane (test/delivery/slow-lane.test.ts) stays out of the way: these tests are about the
// schedule, so every attempt finishes within its batch.
const SCHEDULE = {
  RETRY_DELAYS_S: "100,200,300",
  OVERLOAD_FLOOR_S: "150",
  DELIVERY_TIMEOUT_MS: "100",
  SLOW_LANE_AFTER_MS: "5000",
};
const faultEnv = { ...env, ...SCHEDULE } as Env;

const job = (webhook: { id: string }, account: string, attempt = 1) =>
  deliveryMessage(webhook, account, { attempt });

/** fetch as a receiver that answers only after `lateMs` (never, by default), honouring the abort. */
function hangingReceiver(lateMs = Number.POSITIVE_INFINITY) {
  const seen: string[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const dns = dnsAnswer(new Request(input));
    if (dns) return dns;
    seen.push(String(input));
    return new Promise((resolve, reject) => {
      if (Number.isFinite(lateMs)) setTimeout(() => resolve(new Response("late")), lateMs);
      init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
    });
  });
  return seen;
}

/** One delivery whose first attempt meets `fault`; what was logged and queued. */
async function firstAttempt(fault: () => unknown, attempt = 1) {
  const caller = await newCaller();
  const webhook = await createWebhook(caller);
  const deliveries = captureQueue(env.DELIVERIES);
  const deadLetters = captureQueue(env.DEAD_LETTERS);
  const message = job(webhook, caller.account, attempt);
  const requests = fault();
  const before = Date.now();
  const { acked } = await runBatch(QUEUES.deliveries, [message], faultEnv);
  expect(acked).toEqual([true]);
  const logs = async () =>
    (await call("GET", `/v1/webhooks/${webhook.id}/logs`, { token: caller.token })).body.data;
  return {
    caller,
    webhook,
    message,
    requests,
    before,
    deliveries,
    deadLetters,
    entry: (await logs())[0],
    logs,
  };
}

type Attempted = Awaited<ReturnType<typeof firstAttempt>>;

function expectWait(run: Attempted, [lo, hi]: [number, number]) {
  const retry = run.deliveries.sent[0];
  expect(retry?.body.job).toMatchObject({ attempt: 2, message_id: run.message.job.message_id });
  expect(retry?.delaySeconds).toBeGreaterThanOrEqual(lo);
  expect(retry?.delaySeconds).toBeLessThanOrEqual(hi);
  const dueInS = (retry?.body.job.due_at - run.before) / 1000;
  expect(dueInS).toBeGreaterThanOrEqual(lo);
  expect(dueInS).toBeLessThanOrEqual(hi + 5);
}

/** The wait is over: the retry meets a healthy receiver and lands with the same webhook-id. */
async function retryLands(run: Attempted) {
  const retry = run.deliveries.sent[0]?.body;
  const { received } = spyReceiver();
  const { acked } = await runBatch(
    QUEUES.deliveries,
    [{ ...retry, job: { ...retry.job, due_at: Date.now() } }],
    faultEnv,
  );
  expect(acked).toEqual([true]);
  expect(received.map((r) => r.headers["webhook-id"])).toEqual([run.message.job.message_id]);
  expect(run.deliveries.sent).toHaveLength(1);
  expect((await run.logs())[0]).toMatchObject({ attempt: 2, success: true });
}

const status =
  (code: number, headers: Record<string, string> = {}, body = "nope") =>
  () =>
    spyReceiver(() => new Response(body, { status: code, headers })).received;
const rejecting = (message: string) => () =>
  vi
    .spyOn(globalThis, "fetch")
    .mockImplementation(
      async (input) => dnsAnswer(new Request(input)) ?? Promise.reject(new TypeError(message)),
    );
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toUTCString();

const W: [number, number] = [80, 120];
const matrix: [string, () => unknown, Record<string, unknown>, [number, number]][] = [
  ["500", status(500), { response: { status: 500 } }, W],
  [
    "503 with Retry-After: 110",
    status(503, { "retry-after": "110" }),
    { response: { status: 503 } },
    [110, 120],
  ],
  [
    "503 with Retry-After as an HTTP date 200 s ahead",
    () => status(503, { "retry-after": inSeconds(200) })(),
    {},
    [160, 200],
  ],
  ["503 with Retry-After: 0", status(503, { "retry-after": "0" }), {}, W],
  ["503 with Retry-After: -30", status(503, { "retry-after": "-30" }), {}, W],
  ["503 with Retry-After: garbage", status(503, { "retry-after": "after lunch" }), {}, W],
  ["503 with Retry-After: 999999999", status(503, { "retry-after": "999999999" }), {}, [160, 240]],
  [
    "503 with Retry-After as an HTTP date in the past",
    () => status(503, { "retry-after": inSeconds(-600) })(),
    {},
    W,
  ],
  ["429", status(429), { response: { status: 429 } }, [150, 150]],
  ["429 with Retry-After: 1000", status(429, { "retry-after": "1000" }), {}, [300, 300]],
  ["no answer at all", () => hangingReceiver(), { error: "timeout", response: null }, [150, 150]],
  [
    "200 only after the timeout",
    () => hangingReceiver(300),
    { error: "timeout", response: null },
    [150, 150],
  ],
  [
    "a reset connection",
    rejecting("Network connection lost."),
    { error: "Network connection lost.", response: null },
    W,
  ],
  [
    "a refused connection",
    rejecting("connect ECONNREFUSED"),
    { error: "connect ECONNREFUSED", response: null },
    W,
  ],
  ["a 500 with a 5 MB body", status(500, {}, "x".repeat(5 << 20)), { response: { body_truncated: true } }, W],
  ...[301, 302, 307, 308].flatMap((code): typeof matrix => [
    [
      `${code} to a public address`,
      status(code, { location: "https://elsewhere.example.net/" }),
      { error: "redirect not followed" },
      W,
    ],
    [
      `${code} to the metadata address`,
      status(code, { location: "http://169.254.169.254/latest/meta-data/" }),
      { error: "redirect not followed" },
      W,
    ],
  ]),
];

describe("a receiver that fails the first attempt", () => {
  it.each(matrix)(
    "%s: logged, retried within the schedule, delivered with the same webhook-id",
    async (_, fault, logged, wait) => {
      const injected = faults.inject();
      const run = await firstAttempt(fault);
      expect(run.entry).toMatchObject({ attempt: 1, success: false, ...logged });
      if (run.entry.response) expect(run.entry.response.body.length).toBeLessThanOrEqual(16 * 1024);
      if (Array.isArray(run.requests)) expect(run.requests).toHaveLength(1); // a Location is never requested
      expectWait(run, wait);
      await retryLands(run);
      injected.recovered();
    },
  );
});

describe("a receiver that fails for good", () => {
  const recordedAs = async (run: Attempted, reason: string) => {
    await runBatch(
      QUEUES.deadLetters,
      run.deadLetters.sent.map((m) => m.body),
    );
    const failed = await call("GET", `/v1/webhooks/${run.webhook.id}/failed`, { token: run.caller.token });
    expect(failed.body.data).toEqual([
      expect.objectContaining({ message_id: run.message.job.message_id, reason }),
    ]);
  };

  it("410 Gone: disabled at once, recorded as failed", async () => {
    const injected = faults.inject();
    const run = await firstAttempt(status(410));
    expect(run.deliveries.sent).toEqual([]);
    expect(
      (await call("GET", `/v1/webhooks/${run.webhook.id}`, { token: run.caller.token })).body,
    ).toMatchObject({ is_active: false, disabled_reason: "gone" });
    await recordedAs(run, "gone");
    injected.recorded();
  });

  it("500 on the last attempt of the schedule: recorded as failed, no further retry", async () => {
    const injected = faults.inject();
    const run = await firstAttempt(status(500), 4); // RETRY_DELAYS_S=100,200,300: attempt 4 is the last
    expect(run.deliveries.sent).toEqual([]);
    expect(run.deadLetters.sent[0]?.body).toMatchObject({ type: "failed", reason: "exhausted", attempts: 4 });
    await recordedAs(run, "exhausted");
    injected.recorded();
  });
});
