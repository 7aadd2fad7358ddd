// 1. Ingest: changes accepted per second against the floor, a route of the bench's Worker that
// takes the same body and does only what the platform must do for it — one rate-limiter call and
// one queue send (bench/worker/floor.ts). The changes are for accounts without webhooks, so
// fan-out is one cheap D1 query per consumer batch. Also the Worker's CPU per request of each.

import { fixed, median, num, ratio, table } from "../lib/format.mjs";
import { closedLoop } from "../lib/http.mjs";

/** @import { Context } from "../run.mjs" */

// Each request names its own account (none has webhooks): the per-account ingest rate limit
// (2000 requests per 10 s) is checked on every request as usual, but a fast machine never trips it.
/** @param {number} n */
const account = (n) => `bench-no-webhooks-${n}`;

const MODES = /** @type {const} */ (["single", "batch of 100"]);
/** @typedef {typeof MODES[number]} Mode */
const PER_REQUEST = { single: 1, "batch of 100": 100 };

/** @typedef {(path: string, mode: Mode, concurrency: number, durationMs: number) => Promise<{ ok: number, failed: number, firstFailure: string | null, seconds: number, cpuMs: number }>} Run */

/** A closed loop on a path with fresh bodies, and the Worker's CPU meanwhile. @param {Context} ctx @returns {Run} */
function runner({ client, pipe, service }) {
  let entity = 0;
  let request = 0;
  /** @type {Record<Mode, () => unknown>} */
  const bodies = {
    single: () => pipe.change(account(request++), `i${entity++}`),
    "batch of 100": () => {
      const of = account(request++);
      return { changes: Array.from({ length: 100 }, () => pipe.change(of, `i${entity++}`)) };
    },
  };
  return async (path, mode, concurrency, durationMs) => {
    const before = service.cpu().worker ?? 0;
    const result = await closedLoop(client, {
      concurrency,
      durationMs,
      send: (c) => c.request("POST", path, { body: bodies[mode](), headers: pipe.auth }),
    });
    return { ...result, cpuMs: (service.cpu().worker ?? 0) - before };
  };
}

const PATHS = /** @type {const} */ ({ floor: "/__bench/floor", ingest: "/v1/changes" });

/**
 * Floor and ingest side by side in short rounds, the pipeline drained after each run so that no
 * backlog eats into the next. Which of the two goes first alternates from round to round, so that
 * neither always runs on the heels of the other's consumer work, and a slow stretch of the
 * machine weighs on both sides of a round's ratio. The ratio is the median of the rounds' own
 * ratios, shown with their range; rates and CPU are the medians of the rounds'.
 * @param {Context} ctx @param {Run} run @param {Mode} mode @param {number} concurrency
 */
async function measure({ pipe, profile }, run, mode, concurrency) {
  /** @type {{ floor: { rps: number, cpu: number }, ingest: { rps: number, cpu: number } }[]} */
  const rounds = [];
  for (let round = 0; round < profile.ingestRounds; round++) {
    /** @type {("floor" | "ingest")[]} */
    const order = round % 2 === 0 ? ["floor", "ingest"] : ["ingest", "floor"];
    const measured = { floor: { rps: 0, cpu: 0 }, ingest: { rps: 0, cpu: 0 } };
    for (const key of order) {
      const result = await run(PATHS[key], mode, concurrency, profile.ingestMs);
      if (result.failed > 0) throw new Error(`${PATHS[key]} refused requests: ${result.firstFailure}`);
      measured[key] = { rps: result.ok / result.seconds, cpu: result.cpuMs / result.ok };
      await pipe.waitIdle();
    }
    rounds.push(measured);
  }
  const ratios = rounds.map((r) => r.ingest.rps / r.floor.rps);
  const ingestRps = median(rounds.map((r) => r.ingest.rps));
  return {
    mode,
    concurrency,
    changes_per_s: ingestRps * PER_REQUEST[mode],
    requests_per_s: ingestRps,
    floor_requests_per_s: median(rounds.map((r) => r.floor.rps)),
    ratio: median(ratios),
    ratio_range: [Math.min(...ratios), Math.max(...ratios)],
    // The Worker's workerd (with its local queues and D1) per request, consumers included.
    cpu_ms_per_request: median(rounds.map((r) => r.ingest.cpu)),
    floor_cpu_ms_per_request: median(rounds.map((r) => r.floor.cpu)),
    rounds,
  };
}

/** @param {Context} ctx */
export async function ingestSection(ctx) {
  const { pipe, profile, progress } = ctx;
  const run = runner(ctx);
  progress("1. ingest: warming up");
  await run(PATHS.floor, "single", 4, profile.warmupMs);
  await run(PATHS.ingest, "single", 4, profile.warmupMs);
  await pipe.waitIdle();
  const rows = [];
  for (const mode of MODES)
    for (const concurrency of profile.ingestConcurrency) {
      const row = await measure(ctx, run, mode, concurrency);
      rows.push(row);
      progress(
        `1. ingest ${mode}, concurrency ${concurrency}: ${fixed(row.changes_per_s)} changes/s, ` +
          `${fixed(row.requests_per_s)} req/s vs floor ${fixed(row.floor_requests_per_s)} req/s ` +
          `(${ratio(row.ratio)}, rounds ${row.ratio_range.map(ratio).join("–")})`,
      );
    }
  return { rows, printed: print(rows) };
}

/** @param {Awaited<ReturnType<typeof measure>>[]} rows */
function print(rows) {
  /** @param {typeof rows[number]} r */
  const goal = (r) => {
    if (r.mode === "single") return r.ratio >= 0.9 ? "≥ 0.9 met" : "≥ 0.9 missed";
    const single = rows.find((s) => s.mode === "single" && s.concurrency === r.concurrency);
    return single ? `${num(r.changes_per_s / single.changes_per_s)} × single` : "";
  };
  return table(
    [
      "body",
      "concurrency",
      "changes/s",
      "requests/s",
      "floor requests/s",
      "ratio, rounds' range",
      "goal",
      "Worker CPU ms per request / per floor request",
    ],
    rows.map((r) => [
      r.mode,
      r.concurrency,
      fixed(r.changes_per_s),
      fixed(r.requests_per_s),
      fixed(r.floor_requests_per_s),
      `${ratio(r.ratio)} (${r.ratio_range.map(ratio).join("–")})`,
      goal(r),
      `${num(r.cpu_ms_per_request)} / ${num(r.floor_cpu_ms_per_request)}`,
    ]),
  );
}
