// 0. The local ceiling: GET /healthz (the cheapest route) as users reach it, through wrangler
// dev's proxy on the port npm start prints, and straight at the Worker's own workerd behind it,
// so that what wrangler dev itself costs per request shows; with the CPU each process spends.
import { fixed, num, table } from "../lib/format.mjs";
import { closedLoop, createClient } from "../lib/http.mjs";
import { cpuSpent } from "../lib/service.mjs";

/** @import { Context } from "../run.mjs" */
/** @import { Client } from "../lib/http.mjs" */
/** @import { CpuByRole, Service } from "../lib/service.mjs" */

/** @param {Service} service @param {Client} client @param {number} concurrency @param {number} durationMs */
async function measure(service, client, concurrency, durationMs) {
  const before = service.cpu();
  const result = await closedLoop(client, {
    concurrency,
    durationMs,
    send: (c) => c.request("GET", "/healthz"),
    expect: 200,
  });
  if (result.failed > 0) throw new Error(`GET /healthz failed: ${result.firstFailure}`);
  return { ok: result.ok, seconds: result.seconds, cpu: cpuSpent(before, service.cpu(), result.ok) };
}

/** @param {Context} ctx */
export async function ceilingSection({ client, service, profile, progress }) {
  const base = await service.directBase();
  if (!base) throw new Error("the Worker's own address behind wrangler dev was not found");
  const direct = createClient(base, 64);
  const rows = [];
  try {
    await measure(service, client, 8, profile.warmupMs);
    await measure(service, direct, 8, profile.warmupMs);
    for (const concurrency of profile.ceilingConcurrency) {
      /** @type {Awaited<ReturnType<typeof measure>>[]} */
      const [proxied, straight] = [
        { ok: 0, seconds: 0, cpu: {} },
        { ok: 0, seconds: 0, cpu: {} },
      ];
      for (let round = 0; round < profile.ingestRounds; round++)
        for (const [total, via] of /** @type {const} */ ([
          [proxied, client],
          [straight, direct],
        ])) {
          const one = await measure(service, via, concurrency, profile.ingestMs);
          total.ok += one.ok;
          total.seconds += one.seconds;
          for (const role of /** @type {(keyof CpuByRole)[]} */ (Object.keys(one.cpu)))
            total.cpu[role] = (total.cpu[role] ?? 0) + (one.cpu[role] ?? 0) / profile.ingestRounds;
        }
      const row = {
        concurrency,
        via_wrangler_dev_per_s: proxied.ok / proxied.seconds,
        straight_per_s: straight.ok / straight.seconds,
        cpu_ms_via_wrangler_dev: proxied.cpu,
        cpu_ms_straight: straight.cpu,
      };
      rows.push(row);
      progress(
        `0. /healthz, concurrency ${concurrency}: ${fixed(row.via_wrangler_dev_per_s)}/s through wrangler dev, ` +
          `${fixed(row.straight_per_s)}/s straight to the Worker`,
      );
    }
  } finally {
    direct.close();
  }
  return { rows, printed: print(rows) };
}

/** @param {CpuByRole} cpu */
const cpuText = (cpu) =>
  `${num((cpu.worker ?? 0) + (cpu["dev proxy"] ?? 0) + (cpu.wrangler ?? 0))} ` +
  `(Worker ${num(cpu.worker)}, proxy ${num(cpu["dev proxy"] ?? 0)}, wrangler ${num(cpu.wrangler ?? 0)})`;

/** @param {{ concurrency: number, via_wrangler_dev_per_s: number, straight_per_s: number, cpu_ms_via_wrangler_dev: CpuByRole, cpu_ms_straight: CpuByRole }[]} rows */
function print(rows) {
  return table(
    [
      "concurrency",
      "requests/s through wrangler dev",
      "requests/s straight to the Worker",
      "CPU ms per request through wrangler dev",
      "CPU ms per request straight",
    ],
    rows.map((r) => [
      r.concurrency,
      fixed(r.via_wrangler_dev_per_s),
      fixed(r.straight_per_s),
      cpuText(r.cpu_ms_via_wrangler_dev),
      cpuText(r.cpu_ms_straight),
    ]),
  );
}
