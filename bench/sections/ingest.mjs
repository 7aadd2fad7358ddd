// 1. Ingest: changes accepted per second against the runtime's ceiling, a route of the same
// Worker that takes the same body and answers 202 (/__bench/noop). The changes are for an
// account without webhooks, so fan-out is one cheap D1 query per consumer batch.

import { fixed, ratio, table } from "../lib/format.mjs";
import { closedLoop } from "../lib/http.mjs";

// Each request names its own account (none has webhooks): the per-account ingest rate limit
// (2000 requests per 10 s) is checked on every request as usual, but a fast machine never trips it.
const account = (n) => `bench-no-webhooks-${n}`;

export async function ingestSection({ client, pipe, profile, progress }) {
  let entity = 0;
  let request = 0;
  const bodies = {
    single: () => pipe.change(account(request++), `i${entity++}`),
    "batch of 100": () => {
      const of = account(request++);
      return { changes: Array.from({ length: 100 }, () => pipe.change(of, `i${entity++}`)) };
    },
  };
  const perRequest = { single: 1, "batch of 100": 100 };
  const run = (path, mode, concurrency, durationMs) =>
    closedLoop(client, {
      concurrency,
      durationMs,
      send: (c) => c.request("POST", path, { body: bodies[mode](), headers: pipe.auth }),
    });

  progress("1. ingest: warming up");
  await run("/__bench/noop", "single", 4, profile.warmupMs);
  await run("/v1/changes", "single", 4, profile.warmupMs);
  await pipe.waitIdle();

  const rows = [];
  for (const mode of Object.keys(bodies)) {
    for (const concurrency of profile.ingestConcurrency) {
      // Alternating short rounds, so that load from elsewhere on the machine hits both alike.
      const totals = { noop: { ok: 0, s: 0 }, ingest: { ok: 0, s: 0 } };
      for (let round = 0; round < profile.ingestRounds; round++) {
        const noop = await run("/__bench/noop", mode, concurrency, profile.ingestMs);
        const ingest = await run("/v1/changes", mode, concurrency, profile.ingestMs);
        if (ingest.failed + noop.failed > 0)
          throw new Error(`ingest refused requests: ${ingest.firstFailure ?? noop.firstFailure}`);
        totals.noop.ok += noop.ok;
        totals.noop.s += noop.seconds;
        totals.ingest.ok += ingest.ok;
        totals.ingest.s += ingest.seconds;
        await pipe.waitIdle(); // the consumer's backlog must not eat into the next measurement
      }
      const noopRps = totals.noop.ok / totals.noop.s;
      const ingestRps = totals.ingest.ok / totals.ingest.s;
      const row = {
        mode,
        concurrency,
        changes_per_s: ingestRps * perRequest[mode],
        requests_per_s: ingestRps,
        ceiling_requests_per_s: noopRps,
        ratio: ingestRps / noopRps,
      };
      rows.push(row);
      progress(
        `1. ingest ${mode}, concurrency ${concurrency}: ${fixed(row.changes_per_s)} changes/s, ` +
          `${fixed(ingestRps)} req/s vs ceiling ${fixed(noopRps)} req/s (${ratio(row.ratio)})`,
      );
    }
  }
  const printed = table(
    ["body", "concurrency", "changes/s", "requests/s", "ceiling requests/s", "ratio", "goal"],
    rows.map((r) => [
      r.mode,
      r.concurrency,
      fixed(r.changes_per_s),
      fixed(r.requests_per_s),
      fixed(r.ceiling_requests_per_s),
      ratio(r.ratio),
      r.mode === "single" ? (r.ratio >= 0.9 ? "≥ 0.9 met" : "≥ 0.9 missed") : "",
    ]),
  );
  return { rows, printed };
}
