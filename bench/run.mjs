// npm run bench [-- --quick] [-- --var NAME:VALUE ...]: the real pipeline on the local runtime
// (the workerd of npm start), measured against the runtime's own ceiling in the same run. Prints
// five tables and writes bench/results.json. --quick is a ~30-second version for CI: it must
// finish whatever the numbers are, and fails only when the harness breaks (e.g. a delivery never
// arrives). --var overrides a var for an experiment (e.g. --var SLOW_LANE_AFTER_MS:1000); such
// runs, like quick ones, write their results under bench/tmp/ instead.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseDotenv } from "../scripts/dev-env.mjs";
import { createClient } from "./lib/http.mjs";
import { pipeline } from "./lib/pipeline.mjs";
import { startReceiver } from "./lib/receiver.mjs";
import { root, startService } from "./lib/service.mjs";
import { QUEUE_SETTINGS_WHY, queueSettings } from "./lib/settings.mjs";
import { deliverySection } from "./sections/delivery.mjs";
import { ingestSection } from "./sections/ingest.mjs";
import { latencySection } from "./sections/latency.mjs";
import { scalingSection } from "./sections/scaling.mjs";
import { prepareWork, workSection } from "./sections/work.mjs";

const quick = process.argv.includes("--quick");
const extraVars = process.argv.flatMap((arg, i) =>
  arg === "--var" && process.argv[i + 1] ? [process.argv[i + 1]] : [],
);

const PROFILES = {
  full: {
    warmupMs: 1000,
    ingestConcurrency: [1, 16, 64],
    ingestMs: 1500,
    ingestRounds: 2,
    fanOuts: [1, 10, 100],
    deliveries: 1000,
    latencyRate: 50,
    latencySeconds: 20,
    hangWaitMs: 20_000,
    workRate: 50,
    workSeconds: 8,
    workBatchedChanges: 300,
    waitForGuards: true,
    scalingSizes: [10, 1000, 10_000],
    scalingIngestMs: 1500,
    scalingChanges: 100,
  },
  quick: {
    warmupMs: 200,
    ingestConcurrency: [1, 64],
    ingestMs: 300,
    ingestRounds: 1,
    fanOuts: [1, 10, 100],
    deliveries: 100,
    latencyRate: 50,
    latencySeconds: 2,
    hangWaitMs: 3000,
    workRate: 50,
    workSeconds: 1,
    workBatchedChanges: 100,
    waitForGuards: false,
    scalingSizes: [10, 1000],
    scalingIngestMs: 300,
    scalingChanges: 30,
  },
};
const profile = PROFILES[quick ? "quick" : "full"];

const started = Date.now();
const progress = (message) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);

function ingestToken() {
  const path = join(root, ".dev.vars");
  const vars = parseDotenv(readFileSync(existsSync(path) ? path : join(root, ".dev.vars.example"), "utf8"));
  return vars.INGEST_TOKEN.split(",")[0].trim();
}

async function main() {
  const scratch = join(root, "bench/tmp", `run-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const receiver = await startReceiver();
  progress(`starting the service (scripts/start.mjs, BENCH_MODE=true, state in ${scratch})`);
  const service = await startService({
    persistDir: join(scratch, "state"),
    devArgs: [
      "--var",
      "BENCH_MODE:true",
      "--var",
      "ALLOW_PRIVATE_URLS:true",
      // Never resolved while private URLs are allowed; should that change, the lookup stays local.
      "--var",
      "DOH_URL:http://127.0.0.1:9/dns-query",
      ...extraVars.flatMap((v) => ["--var", v]),
    ],
  });
  const client = createClient(service.base, 64);
  const ctx = { client, receiver, service, profile, progress };
  ctx.pipe = pipeline({ client, receiver, ingestToken: ingestToken(), progress });
  const results = {
    generated_at: new Date().toISOString(),
    quick,
    vars_overridden: extraVars,
    machine: {
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model,
      node: process.version,
      load_average_at_start: os.loadavg(),
    },
    queue_settings: queueSettings(root),
  };
  const printed = {};
  try {
    progress("preparing the accounts of section 4");
    await prepareWork(ctx);
    await ctx.pipe.waitIdle();
    // Work right after ingest (which makes no deliveries, so no slow-lane guards are pending);
    // the hanging receiver's retries outlive their scenario, so latency comes last.
    for (const [key, section] of [
      ["ingest", ingestSection],
      ["work", workSection],
      ["delivery", deliverySection],
      ["scaling", scalingSection],
      ["latency", latencySection],
    ]) {
      const { printed: text, ...data } = await section(ctx);
      results[key] = data;
      printed[key] = text;
      console.log(`\n${text}\n`);
    }
  } finally {
    client.close();
    await service.stop();
    await receiver.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  results.machine.load_average_at_end = os.loadavg();
  results.seconds = (Date.now() - started) / 1000;
  report(results, printed);
  const out = join(
    root,
    quick || extraVars.length > 0
      ? `bench/tmp/results-${quick ? "quick" : "full"}${extraVars.map((v) => `-${v.replace(/[^\w]+/g, "_")}`).join("")}.json`
      : "bench/results.json",
  );
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  progress(`done in ${results.seconds.toFixed(0)} s; results in ${out}`);
}

function report(results, printed) {
  const s = results.queue_settings;
  const fmt = (queues) =>
    Object.entries(queues)
      .map(([queue, q]) => `${queue}: ${q.max_batch_size} per batch, ${q.max_batch_timeout_s} s`)
      .join("; ");
  console.log(`
================================ eventinsight-webhooks benchmark ================================
${results.quick ? "QUICK run (CI smoke test: small samples, numbers are indicative only)" : "Full run"}${results.vars_overridden.length > 0 ? ` with ${results.vars_overridden.join(", ")}` : ""} on ${results.machine.cpus} × ${results.machine.cpu_model}, load average ${results.machine.load_average_at_start.map((l) => l.toFixed(1)).join(" ")} at start.
Every figure is measured in this run on the local runtime; ratios compare with the runtime's own ceiling.

1. Ingest: changes accepted per second vs. a bare 202 route of the same Worker (same body)
${printed.ingest}

2. Delivery throughput vs. the same number of signed POSTs from one invocation (100 at a time)
${printed.delivery}

3. Latency from the 202 to the receiver, ${profile.latencyRate} changes/s for ${profile.latencySeconds} s, one webhook (+ one that hangs)
${printed.latency}
Queue batch settings: local ${fmt(s.local)}.
                      production ${fmt(s.production)}.
${QUEUE_SETTINGS_WHY.map((line) => `- ${line}`).join("\n")}

4. Work per delivery (counted) and cost per million deliveries at fan-out 3
${printed.work}

5. Scaling with the number of webhooks in an account (3 match the change)
${printed.scaling}
`);
}

main().catch((error) => {
  console.error(`\nbench failed: ${error?.stack ?? error}`);
  process.exit(1);
});
