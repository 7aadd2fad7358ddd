// 9. OAuth2 client credentials: a webhook that sends a token from a token endpoint (the bench's
// receiver) beside one that does not, both subscribed to the same single changes at a steady rate,
// so that the same batches carry both. Reported: how many token requests the run made (goal ≤ 1:
// the webhook's object keeps the token), the latency of each (goal: the OAuth webhook's p99 within
// 10 ms of the other's), whether every request carried the token, and what a million deliveries
// cost for each webhook alone at the same rate.
import { randomUUID } from "node:crypto";
import { costPerMillion } from "../lib/cost.mjs";
import { dollars, ms, num, table } from "../lib/format.mjs";
import { cpuSpent } from "../lib/service.mjs";
import { workOf } from "../lib/work.mjs";
import { summarize } from "./latency.mjs";

/** @import { Context } from "../run.mjs" */
/** @import { Arrival } from "../lib/receiver.mjs" */

const SECTION = "9. oauth";
const P99_GOAL_MS = 10;

/**
 * Seeds `count` webhooks of the account to the fast receiver labelled `label`, with client
 * credentials for the token endpoint labelled `account` when `oauth`.
 * @param {Context} ctx @param {string} account @param {string} label @param {boolean} oauth
 */
async function seed({ pipe, receiver }, account, label, oauth) {
  const auth = oauth
    ? { token_url: receiver.url("token", account), client_id: "bench", client_secret: `cs_${randomUUID()}` }
    : undefined;
  await pipe.seed({ account_id: account, count: 1, url: receiver.url("fast", label), auth });
}

/**
 * Single changes of `account` at the profile's rate for `seconds`, after a warm-up delivery
 * (which creates the objects and, for an OAuth webhook, fetches its token); answers what arrived
 * at each of `labels`, the token requests of the whole run and the counted work.
 * @param {Context} ctx @param {string} account @param {string[]} labels @param {number} seconds
 */
async function run(ctx, account, labels, seconds) {
  const { pipe, service, profile, progress } = ctx;
  /** @type {Arrival[]} */
  const tokenRequests = [];
  /** Deliveries to `labels` with entities of `prefix`; the token requests of the account go aside. @param {string} prefix */
  const ours = (prefix) => (/** @type {Arrival} */ a) => {
    if (a.kind === "token" && a.label === account) tokenRequests.push(a);
    return a.kind === "fast" && labels.includes(a.label) && String(a.entity).startsWith(prefix);
  };
  await pipe.ingest(pipe.change(account, "warm-up"));
  await pipe.collect({ expected: labels.length, filter: ours("warm-up"), what: `${SECTION} warm-up` });
  await pipe.waitIdle();
  progress(`${SECTION}: ${profile.latencyRate} changes/s for ${seconds} s to ${labels.join(" and ")}`);
  await pipe.resetCounters();
  const before = service.cpu();
  const sent = await pipe.steady(account, { rate: profile.latencyRate, seconds, prefix: "o" });
  const arrivals = await pipe.collect({
    expected: sent.total * labels.length,
    filter: ours("o"),
    timeoutMs: 60_000,
    what: SECTION,
  });
  const snapshot = await pipe.waitIdle({ delayed: profile.waitForDelayed });
  const deliveries = sent.total * labels.length;
  const work = workOf(snapshot, cpuSpent(before, service.cpu()), { changes: sent.total, deliveries });
  return { sent, arrivals, tokenRequests, work };
}

/** @param {Context} ctx */
export async function oauthSection(ctx) {
  const { profile } = ctx;
  const account = "bench-oauth";
  const [oauthLabel, plainLabel] = [`${account}-auth`, `${account}-plain`];
  await seed(ctx, account, oauthLabel, true);
  await seed(ctx, account, plainLabel, false);
  const side = await run(ctx, account, [oauthLabel, plainLabel], profile.oauthSeconds);
  /** @param {string} label */
  const latencyOf = (label) =>
    summarize(
      side.sent.accepted,
      side.arrivals.filter((a) => a.label === label),
      side.sent.total,
    );
  const oauthArrivals = side.arrivals.filter((a) => a.label === oauthLabel);
  const withToken = oauthArrivals.filter((a) => a.authorization?.startsWith(`Bearer bench-${account}-`));
  const plainWithAuthorization = side.arrivals.filter((a) => a.label === plainLabel && a.authorization);

  // The cost of each alone, at the same rate (the token rides on calls the object answers anyway).
  const alone = [];
  for (const oauth of [true, false]) {
    const aloneAccount = `${account}-alone-${oauth ? "auth" : "plain"}`;
    await seed(ctx, aloneAccount, aloneAccount, oauth);
    const measured = await run(ctx, aloneAccount, [aloneAccount], profile.oauthCostSeconds);
    alone.push({
      oauth,
      token_requests: measured.tokenRequests.length,
      work: measured.work,
      cost: costPerMillion(measured.work),
    });
  }
  const result = {
    rate: profile.latencyRate,
    seconds: profile.oauthSeconds,
    changes: side.sent.total,
    // Warm-up included: the first delivery fetched the token.
    token_requests: side.tokenRequests.length,
    oauth: { ...latencyOf(oauthLabel), with_token: withToken.length },
    plain: { ...latencyOf(plainLabel), with_authorization: plainWithAuthorization.length },
    alone,
  };
  const p99Gap = (result.oauth.p99_ms ?? Infinity) - (result.plain.p99_ms ?? Infinity);
  ctx.progress(
    `${SECTION}: ${result.token_requests} token request(s); p99 ${ms(result.oauth.p99_ms)} with OAuth vs ` +
      `${ms(result.plain.p99_ms)} without (${num(p99Gap)} ms); $ per million alone: ` +
      alone.map((a) => `${a.oauth ? "OAuth" : "plain"} ${dollars(a.cost.total)}`).join(", "),
  );
  return { ...result, p99_gap_ms: p99Gap, printed: print(result, p99Gap) };
}

/** @param {any} r @param {number} p99Gap */
function print(r, p99Gap) {
  const latency = table(
    [
      "webhook",
      "changes",
      "delivered",
      "requests with a Bearer token",
      "p50",
      "p95",
      "p99",
      "max",
      "token requests (warm-up included; goal ≤ 1)",
      `p99 gap (goal ≤ ${P99_GOAL_MS} ms)`,
    ],
    [
      [
        "OAuth2 client credentials",
        r.changes,
        r.oauth.delivered,
        r.oauth.with_token,
        ms(r.oauth.p50_ms),
        ms(r.oauth.p95_ms),
        ms(r.oauth.p99_ms),
        ms(r.oauth.max_ms),
        `${r.token_requests} ${r.token_requests <= 1 ? "met" : "missed"}`,
        `${num(p99Gap)} ms ${p99Gap <= P99_GOAL_MS ? "met" : "missed"}`,
      ],
      [
        "none",
        r.changes,
        r.plain.delivered,
        r.plain.with_authorization,
        ms(r.plain.p50_ms),
        ms(r.plain.p95_ms),
        ms(r.plain.p99_ms),
        ms(r.plain.max_ms),
        "–",
        "–",
      ],
    ],
  );
  const cost = table(
    [
      "webhook alone",
      "token requests",
      "DO requests / delivery",
      "CPU ms / delivery",
      "$ per million deliveries",
    ],
    r.alone.map((/** @type {any} */ a) => [
      a.oauth ? "OAuth2 client credentials" : "none",
      a.token_requests,
      num(a.work.do_calls + a.work.do_alarms),
      num(a.work.cpu_ms),
      dollars(a.cost.total),
    ]),
  );
  return `${latency}\n\n${cost}`;
}
