// 1. Ingest: changes accepted per second against the floor, a route of the bench's Worker that
// takes the same body and does only what the platform must do for it — one rate-limiter call and
// one queue send (bench/worker/floor.ts). The changes are for accounts without webhooks, so
// fan-out is one cheap D1 query per consumer batch. Also the Worker's CPU per request of each.

import { fixed, num, ratio, table } from "../lib/format.mjs";
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

/**
 * Floor and ingest in alternating short rounds, so that load from elsewhere on the machine hits
 * both alike; the pipeline drained after each, so that no backlog eats into the next.
 * @param {Context} ctx @param {Run} run @param {Mode} mode @param {number} concurrency
 */
async function measure({ pipe, profile }, run, mode, concurrency) {
  const totals = { floor: { ok: 0, s: 0, cpu: 0 }, ingest: { ok: 0, s: 0, cpu: 0 } };
  for (let round = 0; round < profile.ingestRounds; round++) {
    for (const [key, path] of /** @type {const} */ ([
      ["floor", "/__bench/floor"],
      ["ingest", "/v1/changes"],
    ])) {
      const result = await run(path, mode, concurrency, profile.ingestMs);
      if (result.failed > 0) throw new Error(`${path} refused requests: ${result.firstFailure}`);
      totals[key].ok += result.ok;
      totals[key].s += result.seconds;
      totals[key].cpu += result.cpuMs;
      await pipe.waitIdle();
    }
  }
  const floorRps = totals.floor.ok / totals.floor.s;
  const ingestRps = totals.ingest.ok / totals.ingest.s;
  return {
    mode,
    concurrency,
    changes_per_s: ingestRps * PER_REQUEST[mode],
    requests_per_s: ingestRps,
    floor_requests_per_s: floorRps,
    ratio: ingestRps / floorRps,
    // The Worker's workerd (with its local queues and D1) per request, consumers included.
    cpu_ms_per_request: totals.ingest.cpu / totals.ingest.ok,
    floor_cpu_ms_per_request: totals.floor.cpu / totals.floor.ok,
  };
}

/** @param {Context} ctx */
export async function ingestSection(ctx) {
  const { pipe, profile, progress } = ctx;
  const run = runner(ctx);
  progress("1. ingest: warming up");
  await run("/__bench/floor", "single", 4, profile.warmupMs);
  await run("/v1/changes", "single", 4, profile.warmupMs);
  await pipe.waitIdle();
  const rows = [];
  for (const mode of MODES)
    for (const concurrency of profile.ingestConcurrency) {
      const row = await measure(ctx, run, mode, concurrency);
      rows.push(row);
      progress(
        `1. ingest ${mode}, concurrency ${concurrency}: ${fixed(row.changes_per_s)} changes/s, ` +
          `${fixed(row.requests_per_s)} req/s vs floor ${fixed(row.floor_requests_per_s)} req/s (${ratio(row.ratio)})`,
      );
    }
  return { rows, printed: print(rows) };
}

/** @param {{ mode: Mode, concurrency: number, changes_per_s: number, requests_per_s: number, floor_requests_per_s: number, ratio: number, cpu_ms_per_request: number, floor_cpu_ms_per_request: number }[]} rows */
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
      "ratio",
      "goal",
      "Worker CPU ms per request / per floor request",
    ],
    rows.map((r) => [
      r.mode,
      r.concurrency,
      fixed(r.changes_per_s),
      fixed(r.requests_per_s),
      fixed(r.floor_requests_per_s),
      ratio(r.ratio),
      goal(r),
      `${num(r.cpu_ms_per_request)} / ${num(r.floor_cpu_ms_per_request)}`,
    ]),
  );
}
