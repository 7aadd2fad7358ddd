// 8. Signing schemes: the Worker's CPU per delivery of webhooks signing with Ed25519 (v1a) against
// webhooks signing with HMAC-SHA256 (v1), side by side in one run: the same pipeline, fan-out and
// number of deliveries, rounds alternating which scheme goes first, so that a slow stretch of the
// machine weighs on both sides of the ratio. Goal: Ed25519 ≤ 1.3 × HMAC.
import { median, num, ratio, table } from "../lib/format.mjs";
import { prepare, throughput } from "./delivery.mjs";

/** @import { Context } from "../run.mjs" */

const FAN_OUT = 10;
const SECTION = "8. signing";
const SCHEMES = /** @type {const} */ (["hmac-sha256", "ed25519"]);

/** @param {Context} ctx */
export async function signingSection(ctx) {
  /** @type {Record<string, string>} */
  const accounts = {};
  for (const scheme of SCHEMES) {
    accounts[scheme] = await prepare(ctx, FAN_OUT, {
      account: `bench-signing-${scheme}`,
      signature_scheme: scheme,
    });
  }
  /** @type {{ "hmac-sha256": number, ed25519: number }[]} */
  const rounds = [];
  for (let round = 0; round < ctx.profile.deliveryRounds; round++) {
    const order = round % 2 === 0 ? SCHEMES : [...SCHEMES].reverse();
    /** @type {Record<string, number>} */
    const cpu = {};
    for (const scheme of order) {
      const run = await throughput(ctx, accounts[scheme] ?? "", FAN_OUT, round, `${SECTION}, ${scheme}`);
      cpu[scheme] = run.cpuMs / run.expected;
    }
    rounds.push({ "hmac-sha256": cpu["hmac-sha256"] ?? Number.NaN, ed25519: cpu.ed25519 ?? Number.NaN });
  }
  const ratios = rounds.map((r) => r.ed25519 / r["hmac-sha256"]);
  const row = {
    fan_out: FAN_OUT,
    deliveries_per_round: Math.ceil(ctx.profile.deliveries / FAN_OUT) * FAN_OUT,
    rounds: rounds.length,
    cpu_ms_per_delivery_hmac: median(rounds.map((r) => r["hmac-sha256"])),
    cpu_ms_per_delivery_ed25519: median(rounds.map((r) => r.ed25519)),
    cpu_ratio: median(ratios),
    cpu_ratio_range: [Math.min(...ratios), Math.max(...ratios)],
    rounds_cpu_ms_per_delivery: rounds,
  };
  ctx.progress(
    `${SECTION}: CPU ${num(row.cpu_ms_per_delivery_ed25519)} ms per Ed25519 delivery vs ${num(row.cpu_ms_per_delivery_hmac)} per HMAC one ` +
      `(${ratio(row.cpu_ratio)} ×, rounds ${row.cpu_ratio_range.map(ratio).join("–")})`,
  );
  return { rows: [row], printed: print(row) };
}

/** @param {any} row */
function print(row) {
  return table(
    [
      "webhooks per change",
      "deliveries per round × rounds",
      "Worker CPU ms per delivery: HMAC-SHA256 (v1) / Ed25519 (v1a)",
      "CPU ratio Ed25519 / HMAC (goal ≤ 1.3), rounds' range",
    ],
    [
      [
        row.fan_out,
        `${row.deliveries_per_round} × ${row.rounds}`,
        `${num(row.cpu_ms_per_delivery_hmac)} / ${num(row.cpu_ms_per_delivery_ed25519)}`,
        `${ratio(row.cpu_ratio)} ${row.cpu_ratio <= 1.3 ? "met" : "missed"} (${row.cpu_ratio_range.map(ratio).join("–")})`,
      ],
    ],
  );
}
