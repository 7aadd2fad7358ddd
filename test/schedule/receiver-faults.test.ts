// Receivers misbehaving, seen from the consumers: for each fault the log entry, the retry's wait
// against the schedule in force (this project's, see vitest.config.ts: W = 100 s ±20 %, 20 h for
// the fourth retry,
// Retry-After within [W, 2W], the overload floor 150 s after a timeout or 429), and the end:
// delivered on the retry with the same webhook-id, or recorded as a failed delivery. The
// real-receiver matrix is test/faults/.
import { describe, expect, it, vi } from "vitest";
import { messageIdFor } from "../../src/messages/payload";
import { faultTally } from "../fault-tally";
import { adminToken, call, createWebhook, newCaller } from "../helpers";
import {
  changeMessage,
  dnsAnswer,
  dueAtOf,
  later,
  pendingOf,
  QUEUES,
  runBatch,
  spyReceiver,
  wake,
  withFakeDate,
} from "../queue-helpers";

const faults = faultTally("receiver faults (consumer level)");

withFakeDate();

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

/** One change whose first attempt meets `fault`: what was logged and what waits for the retry. */
async function firstAttempt(fault: () => unknown) {
  const caller = await newCaller();
  const webhook = await createWebhook(caller);
  const message = changeMessage({ account_id: caller.account });
  const messageId = await messageIdFor(message.identity, webhook.id);
  faults.track({ token: caller.token, webhookId: webhook.id, messageId });
  const requests = fault();
  const before = Date.now();
  const { acked } = await runBatch(QUEUES.changes, [message]);
  expect(acked).toEqual([true]);
  const logs = async () =>
    (await call("GET", `/v1/webhooks/${webhook.id}/logs`, { token: caller.token })).body.data;
  return { caller, webhook, messageId, requests, before, entry: (await logs())[0], logs };
}

type Attempted = Awaited<ReturnType<typeof firstAttempt>>;

/** The retry waits in the webhook's object, due within [lo, hi] seconds of the first attempt. */
async function expectWait(run: Attempted, [lo, hi]: [number, number]) {
  const [retry, ...more] = await pendingOf(run.webhook.id);
  expect(more).toEqual([]);
  expect(retry).toMatchObject({ state: "retry", attempt: 2, message_id: run.messageId });
  const dueInS = (dueAtOf(retry) - run.before) / 1000;
  expect(dueInS).toBeGreaterThanOrEqual(lo);
  expect(dueInS).toBeLessThanOrEqual(hi);
  return dueInS;
}

/** The wait is over: the retry meets a healthy receiver and lands with the same webhook-id. */
async function retryLands(run: Attempted, dueInS: number) {
  const { received } = spyReceiver();
  await wake(run.webhook.id); // not yet due: nothing goes
  expect(received).toEqual([]);
  later(dueInS * 1000 + 1);
  const { acked } = await wake(run.webhook.id);
  expect(acked).toEqual([true]);
  expect(received.map((r) => r.headers["webhook-id"])).toEqual([run.messageId]);
  expect(await pendingOf(run.webhook.id)).toEqual([]);
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
      const run = await firstAttempt(fault);
      expect(run.entry).toMatchObject({ attempt: 1, success: false, ...logged });
      if (run.entry.response) expect(run.entry.response.body.length).toBeLessThanOrEqual(16 * 1024);
      if (Array.isArray(run.requests)) expect(run.requests).toHaveLength(1); // a Location is never requested
      await retryLands(run, await expectWait(run, wait));
    },
  );
});

describe("a receiver that fails for good", () => {
  const recordedAs = async (run: Attempted, reason: string, attempts: number) => {
    expect(await pendingOf(run.webhook.id)).toEqual([]);
    const token = await adminToken({ account_id: run.caller.account }); // a day may have passed
    const failed = await call("GET", `/v1/webhooks/${run.webhook.id}/failed`, { token });
    expect(failed.body.data).toEqual([
      expect.objectContaining({ message_id: run.messageId, reason, attempts }),
    ]);
  };

  it("410 Gone: disabled at once, recorded as failed", async () => {
    const run = await firstAttempt(status(410));
    expect(
      (await call("GET", `/v1/webhooks/${run.webhook.id}`, { token: run.caller.token })).body,
    ).toMatchObject({ is_active: false, disabled_reason: "gone" });
    await recordedAs(run, "gone", 1);
  });

  it("500 on the last attempt of the schedule: recorded as failed, no further retry", async () => {
    const run = await firstAttempt(status(500));
    // RETRY_DELAYS_S=100,200,300,72000 (+20 % at most): attempt 5 is the last.
    for (const waitS of [120, 240, 360, 86400]) {
      later(waitS * 1000 + 1);
      await wake(run.webhook.id);
    }
    expect(run.requests).toHaveLength(5);
    await recordedAs(run, "exhausted", 5);
  });
});

describe("a wait longer than a queue message may be delayed (12 h)", () => {
  it("is kept in full by the webhook's object: nothing goes before it is over, the retry goes after", async () => {
    const run = await firstAttempt(status(500));
    for (const waitS of [120, 240, 360]) {
      later(waitS * 1000 + 1);
      await wake(run.webhook.id);
    }
    expect(run.requests).toHaveLength(4);
    const [retry] = await pendingOf(run.webhook.id);
    expect(retry).toMatchObject({ state: "retry", attempt: 5 });
    const dueInS = (dueAtOf(retry) - Date.now()) / 1000;
    expect(dueInS).toBeGreaterThan(72000 * 0.8 - 1); // 20 h ±20 %
    later(12 * 3600_000 + 1000);
    await wake(run.webhook.id);
    expect(run.requests).toHaveLength(4);
    later(dueInS * 1000 - 12 * 3600_000);
    await wake(run.webhook.id);
    expect(run.requests).toHaveLength(5);
  });
});
