// 10. Changes to a webhook apply at once: changes stream to four webhooks of one account (requests
// of 25 changes twice a second, a dozen of each record per request, so that a consumer run goes on
// round after round as each answer releases the record's next change; receivers that take 100 ms);
// meanwhile one webhook's URL and custom header are changed (PATCH) and another's secret is
// rotated, through the admin API, as an admin would. Reported per change: how long it took to
// answer (it waits until no delivery let go under the old configuration can still start), how
// many requests with the old configuration arrived after it answered — at the old URL or with the
// old header value; signed with the old secret only — and the latest of them. A request that
// started just before the answer crosses the loopback a moment after it: one later than
// IN_FLIGHT_MS after the answer started after it, which must never happen.
import { ms, table } from "../lib/format.mjs";

/** @import { Context } from "../run.mjs" */
/** @import { Arrival } from "../lib/receiver.mjs" */

const SECTION = "10. apply";
const ACCOUNT = "acme"; // the account of npm start's admin token
/** Far above the loopback's crossing time (section 3's p99 from the 202 to the receiver is ~30 ms). */
const IN_FLIGHT_MS = 100;
const PER_REQUEST = 25;

/** The admin API, with npm start's admin token. @param {Context} ctx */
function adminApi({ service }) {
  const token = /Admin token:\s+([\w.-]+)/.exec(service.output())?.[1];
  if (!token) throw new Error(`${SECTION}: npm start printed no admin token`);
  /** @param {string} method @param {string} path @param {unknown} [body] */
  return async (method, path, body) => {
    const res = await fetch(`${service.base}/v1/webhooks${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${SECTION}: ${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text);
  };
}

/**
 * What arrived with the old configuration after the change answered at `answeredAt`.
 * @param {Arrival[]} arrivals @param {(a: Arrival) => boolean} old @param {number} answeredAt
 */
function staleAfter(arrivals, old, answeredAt) {
  const late = arrivals.filter((a) => old(a) && a.wall > answeredAt).map((a) => a.wall - answeredAt);
  return {
    after_answer: late.length,
    started_after_answer: late.filter((lag) => lag > IN_FLIGHT_MS).length,
    latest_ms: late.length > 0 ? Math.max(...late) : null,
  };
}

/**
 * Requests of PER_REQUEST changes, twice a second for `seconds`: changes of two records a request
 * (in turn), numbered in the order sent. Answers how many changes were sent.
 * @param {Context["pipe"]} pipe @param {string} run @param {number} rate @param {number} seconds
 */
async function stream(pipe, run, rate, seconds) {
  const requests = Math.max(1, Math.round((rate * seconds) / PER_REQUEST));
  const every = (PER_REQUEST / rate) * 1000;
  const started = Date.now();
  const sends = [];
  let n = 0;
  for (let r = 0; r < requests; r++) {
    const wait = started + r * every - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const changes = Array.from({ length: PER_REQUEST }, (_, i) =>
      pipe.change(ACCOUNT, `${run}-e${(r % 2) * 2 + (i % 2)}`, { result: { n: n++ } }),
    );
    sends.push(pipe.ingest({ changes }));
  }
  await Promise.all(sends);
  return n;
}

/** @param {Context} ctx */
export async function applySection(ctx) {
  const { pipe, receiver, profile, progress } = ctx;
  const api = adminApi(ctx);
  const run = `apply-${Date.now()}`;
  const label = (/** @type {string} */ name) => `${run}-${name}`;
  const url = (/** @type {string} */ name) => receiver.url("slow", label(name));
  const moved = await api("POST", "", {
    name: "moved",
    url: url("old"),
    headers: { "x-api-key": "old-key" },
  });
  const rotated = await api("POST", "", { name: "rotated", url: url("rotated") });
  for (const name of ["third", "fourth"]) await api("POST", "", { name, url: url(name) });
  const ours = (/** @type {Arrival} */ a) => a.label.startsWith(run);
  await pipe.ingest(pipe.change(ACCOUNT, `${run}-warm-up`));
  await pipe.collect({ expected: 4, filter: ours, what: `${SECTION} warm-up` });
  await pipe.waitIdle();

  const { latencyRate: rate, applySeconds: seconds } = profile;
  progress(`${SECTION}: ${rate} changes/s to 4 webhooks for ${seconds} s; a PATCH and a rotation meanwhile`);
  const streaming = stream(pipe, run, rate, seconds);
  await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / 3));
  const patchAskedAt = Date.now();
  await api("PATCH", `/${moved.id}`, { url: url("new"), headers: { "x-api-key": "new-key" } });
  const patchAnsweredAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / 3));
  const rotateAskedAt = Date.now();
  await api("POST", `/${rotated.id}/secret/rotate`);
  const rotateAnsweredAt = Date.now();
  const sent = await streaming;
  const arrivals = await pipe.collect({
    expected: sent * 4,
    filter: ours,
    timeoutMs: 120_000,
    what: SECTION,
  });
  await pipe.waitIdle();

  const patch = {
    answered_in_ms: patchAnsweredAt - patchAskedAt,
    ...staleAfter(arrivals, (a) => a.label === label("old") || a.apiKey === "old-key", patchAnsweredAt),
  };
  const rotation = {
    answered_in_ms: rotateAnsweredAt - rotateAskedAt,
    ...staleAfter(arrivals, (a) => a.label === label("rotated") && a.signatures < 2, rotateAnsweredAt),
  };
  const reached = new Set(
    arrivals.filter((a) => a.label === label("old") || a.label === label("new")).map((a) => a.n),
  );
  const rows = /** @type {[string, typeof patch][]} */ ([
    ["PATCH url and header", patch],
    ["secret rotation", rotation],
  ]).map(([what, r]) => [
    what,
    ms(r.answered_in_ms),
    String(r.after_answer),
    String(r.started_after_answer),
    r.latest_ms === null ? "–" : `${ms(r.latest_ms)} after`,
  ]);
  const printed = `${table(
    [
      "change",
      "answered in",
      "old-config requests after the answer",
      `… of them over ${IN_FLIGHT_MS} ms after (goal 0)`,
      "the latest",
    ],
    rows,
  )}
${sent} changes × 4 webhooks; every change reached the moved webhook (at one URL or the other): ${reached.size === sent ? "yes" : `NO (${reached.size})`}.`;
  return { changes: sent, patch, rotation, every_change_arrived: reached.size === sent, printed };
}
