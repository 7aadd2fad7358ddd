// What every section needs from the running service: the ingest API, the bench counters, and
// waiting until deliveries have arrived and the pipeline is idle again.
import { now } from "./receiver.mjs";

/** @import { CounterSnapshot } from "../worker/counters.ts" */
/** @import { Client } from "./http.mjs" */
/** @import { Arrival, Receiver } from "./receiver.mjs" */
/** @typedef {ReturnType<typeof pipeline>} Pipeline */
/** @typedef {Record<string, unknown>} Change */

/** Alarms due within this long count as work still to do (later ones as waiting, like delayed messages). */
const ALARM_HORIZON_MS = 2000;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class HarnessError extends Error {}

/**
 * Whether every invocation has finished and every message sent since the reset was acked by the
 * consumer of its queue (`queues`: the queue of each producer binding); without `delayed`,
 * delayed messages and alarms set for later are not waited for.
 * @param {CounterSnapshot} snapshot
 * @param {{ delayed: boolean, queues: Record<string, string> }} options
 */
export function isIdle(snapshot, { delayed, queues }) {
  /** @type {Record<string, number>} */
  const pending = {};
  /** @type {Record<string, number>} */
  const acked = {};
  const horizon = Date.now() + ALARM_HORIZON_MS;
  for (const [label, entry] of Object.entries(snapshot)) {
    if (entry.inFlight > 0) return false;
    if (entry.alarmsPending > 0 && (delayed || (entry.nextAlarmAt ?? Infinity) <= horizon)) return false;
    for (const [binding, sent] of Object.entries(entry.sent))
      pending[binding] = (pending[binding] ?? 0) + sent.messages - (delayed ? 0 : sent.delayed);
    if (label.startsWith("queue:")) acked[label] = entry.messagesAcked;
  }
  return Object.entries(pending).every(
    ([binding, count]) => (acked[`queue:${queues[binding]}`] ?? 0) >= count,
  );
}

/**
 * @param {{ client: Client, receiver: Receiver, ingestToken: string, queues: Record<string, string>, progress: (message: string) => void }} options
 */
export function pipeline({ client, receiver, ingestToken, queues, progress }) {
  const auth = { authorization: `Bearer ${ingestToken}` };

  /**
   * @param {string} account_id
   * @param {string} entity_id
   * @returns {Change}
   */
  const change = (account_id, entity_id, overrides = {}) => ({
    account_id,
    entity_type: "user",
    entity_id,
    action_type: "update",
    result: { name: "Ada Lovelace", email: "ada@example.com", entity: entity_id },
    ...overrides,
  });

  /** POST /v1/changes; throws unless it answers 202. @param {unknown} body */
  async function ingest(body) {
    const res = await client.request("POST", "/v1/changes", { body, headers: auth });
    if (res.status !== 202) throw new HarnessError(`POST /v1/changes answered ${res.status}: ${res.body}`);
    return res;
  }

  /**
   * Sends changes in requests of `perRequest`, `concurrency` requests at a time.
   * @param {Change[]} changes
   */
  async function ingestAll(changes, { perRequest = 100, concurrency = 4 } = {}) {
    /** @type {Change[][]} */
    const requests = [];
    for (let i = 0; i < changes.length; i += perRequest) requests.push(changes.slice(i, i + perRequest));
    let next = 0;
    const lane = async () => {
      for (let batch = requests[next++]; batch; batch = requests[next++])
        await ingest(batch.length === 1 ? batch[0] : { changes: batch });
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    return requests.length;
  }

  /**
   * Single changes, open loop at `rate` per second for `seconds`. Answers, per entity, when the
   * request was sent and when the Worker answered 202 (its Date.now(), from the bench's header).
   * @param {string} account
   * @param {{ rate: number, seconds: number, prefix: string }} options
   */
  async function steady(account, { rate, seconds, prefix }) {
    /** @type {Map<string, { sent: number, answered: number }>} */
    const accepted = new Map();
    const total = Math.max(1, Math.round(rate * seconds));
    const started = now();
    const sends = [];
    let late = 0;
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / rate - now();
      if (wait > 0) await sleep(wait);
      else if (wait < -50) late++;
      const entity = `${prefix}${i}`;
      const sent = Date.now();
      sends.push(
        ingest(change(account, entity)).then((res) =>
          accepted.set(entity, { sent, answered: Number(res.headers["x-bench-answered-at"]) }),
        ),
      );
    }
    await Promise.all(sends);
    return { accepted, total, late, sendSeconds: (now() - started) / 1000 };
  }

  /** @returns {Promise<CounterSnapshot>} */
  const counters = () => client.json("GET", "/__bench/counters");
  const resetCounters = () => client.json("POST", "/__bench/counters/reset");
  /** @param {{ account_id: string, count: number, url: string, triggers?: string[], event_ids?: string[], max_per_second?: number | null, signature_scheme?: "hmac-sha256" | "ed25519", auth?: { token_url: string, client_id: string, client_secret: string, scope?: string | null } }} body */
  const seed = (body) => client.json("POST", "/__bench/webhooks", body);

  /**
   * Waits until the pipeline has nothing left to do now: every invocation finished, every message
   * consumed and acked, no alarm due; with `delayed: true` also the delayed messages and every alarm.
   */
  async function waitIdle({ delayed = false, timeoutMs = 120_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let lastReport = Date.now();
    for (;;) {
      const snapshot = await counters();
      if (isIdle(snapshot, { delayed, queues })) return snapshot;
      if (Date.now() > deadline)
        throw new HarnessError(`the pipeline did not become idle: ${JSON.stringify(snapshot)}`);
      if (Date.now() - lastReport > 5000) {
        progress(`  … waiting for the pipeline to finish${delayed ? " (delayed work included)" : ""}`);
        lastReport = Date.now();
      }
      await sleep(100);
    }
  }

  /**
   * Collects arrivals until `expected` of them match `filter`, or the deadline passes. With
   * `mustArrive`, a missing delivery is a harness failure (a delivery that never arrives).
   * @param {{ expected: number, filter?: (arrival: Arrival) => boolean, timeoutMs?: number, mustArrive?: boolean, what?: string }} options
   */
  async function collect({
    expected,
    filter = () => true,
    timeoutMs = 120_000,
    mustArrive = true,
    what = "",
  }) {
    /** @type {Arrival[]} */
    const arrivals = [];
    const deadline = now() + timeoutMs;
    let lastReport = now();
    while (arrivals.length < expected) {
      for (const arrival of await receiver.take()) if (filter(arrival)) arrivals.push(arrival);
      if (arrivals.length >= expected) break;
      if (now() > deadline) {
        if (mustArrive)
          throw new HarnessError(
            `${what}: only ${arrivals.length} of ${expected} deliveries arrived in ${timeoutMs} ms`,
          );
        break;
      }
      if (now() - lastReport > 5000) {
        progress(`  … ${what}: ${arrivals.length}/${expected} delivered`);
        lastReport = now();
      }
      await sleep(25);
    }
    return arrivals;
  }

  return { change, ingest, ingestAll, steady, counters, resetCounters, seed, waitIdle, collect, auth };
}
