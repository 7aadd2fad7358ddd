// npm run bench [-- --quick] [-- --var NAME:VALUE ...]: the real pipeline on the local runtime
// (the workerd of npm start, running the bench's Worker bench/worker/index.ts), measured against
// floors and ceilings measured in the same run. Prints ten tables and writes the results under
// bench/tmp/ (never committed). --quick is a ~40-second version for CI: it must finish whatever
// the numbers are, and fails only when the harness breaks (e.g. a delivery never arrives). --var
// overrides a var for an experiment (e.g. --var DELIVERY_TIMEOUT_MS:5000); --only runs some
// sections by name (e.g. --only delivery,work), to try a change on one measure.
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { createClient } from "./lib/http.mjs";
import { pipeline } from "./lib/pipeline.mjs";
import { PROFILES } from "./lib/profiles.mjs";
import { startReceiver } from "./lib/receiver.mjs";
import { root, startService } from "./lib/service.mjs";
import { queueOfBinding, queueSettings } from "./lib/settings.mjs";
import { applySection } from "./sections/apply.mjs";
import { ceilingSection } from "./sections/ceiling.mjs";
import { deliverySection } from "./sections/delivery.mjs";
import { ingestSection } from "./sections/ingest.mjs";
import { latencySection } from "./sections/latency.mjs";
import { oauthSection } from "./sections/oauth.mjs";
import { orderSection } from "./sections/order.mjs";
import { pacingSection } from "./sections/pacing.mjs";
import { scalingSection } from "./sections/scaling.mjs";
import { signingSection } from "./sections/signing.mjs";
import { prepareWork, workSection } from "./sections/work.mjs";

/** @import { Client } from "./lib/http.mjs" */
/** @import { Pipeline } from "./lib/pipeline.mjs" */
/** @import { Receiver } from "./lib/receiver.mjs" */
/** @import { Service } from "./lib/service.mjs" */
/** @import { Profile } from "./lib/profiles.mjs" */
/** @typedef {{ client: Client, receiver: Receiver, service: Service, profile: Profile, progress: (message: string) => void, pipe: Pipeline }} Context */

/** The bench's Worker: the production entry points counted, plus /__bench (wrangler dev's entry-script argument). */
const BENCH_ENTRY = "bench/worker/index.ts";

const quick = process.argv.includes("--quick");
const extraVars = process.argv.flatMap((arg, i) => {
  const next = process.argv[i + 1];
  return arg === "--var" && next ? [next] : [];
});

const onlyArg = process.argv[process.argv.indexOf("--only") + 1];
const only = process.argv.includes("--only") && onlyArg ? onlyArg.split(",") : null;

/** @type {Profile} */
const profile = PROFILES[quick ? "quick" : "full"];

const started = Date.now();
/** @param {string} message */
const progress = (message) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);

const SECTIONS = /** @type {const} */ ([
  [
    "ceiling",
    "0. The local ceiling: GET /healthz through wrangler dev (as users reach it) and straight to the Worker",
    ceilingSection,
  ],
  [
    "ingest",
    "1. Ingest: changes accepted per second vs. the floor (rate-limiter call + queue send, same body)",
    ingestSection,
  ],
  ["work", "4. Work per delivery (counted) and cost per million deliveries at fan-out 3", workSection],
  [
    "delivery",
    "2. Delivery throughput and CPU vs. the same number of signed POSTs from one invocation (CONCURRENT_SENDS at a time, and 100)",
    deliverySection,
  ],
  ["scaling", "5. Scaling with the number of webhooks in an account (3 match the change)", scalingSection],
  [
    "order",
    "6. Order under failures: a receiver failing every first attempt, changes of 100 entities pushed round after round",
    orderSection,
  ],
  [
    "pacing",
    "7. Pacing: a burst of changes to a webhook with max_per_second 10 and 100 (10 entities, 100 changes per request)",
    pacingSection,
  ],
  [
    "signing",
    "8. Signing schemes: Worker CPU per delivery, Ed25519 (v1a) vs HMAC-SHA256 (v1) webhooks, 10 per change, side by side",
    signingSection,
  ],
  [
    "oauth",
    `9. OAuth2 client credentials: a webhook sending a token beside one that does not, ${profile.latencyRate} changes/s for ${profile.oauthSeconds} s; each alone for cost`,
    oauthSection,
  ],
  [
    "apply",
    `10. Changes to a webhook apply at once: ${profile.latencyRate} changes/s to 4 webhooks for ${profile.applySeconds} s, one PATCHed (URL, header) and one rotated meanwhile`,
    applySection,
  ],
  [
    "latency",
    `3. Latency from the 202 to the receiver, ${profile.latencyRate} changes/s for ${profile.latencySeconds} s, one webhook (+ one that hangs)`,
    latencySection,
  ],
]);

const chosen = SECTIONS.filter(([key]) => !only || only.includes(key));
if (only && chosen.length !== only.length) {
  console.error(
    `--only takes section names (${SECTIONS.map(([key]) => key).join(", ")}); got ${only.join(", ")}`,
  );
  process.exit(2);
}

/**
 * The service as npm start starts it, running the bench's Worker, with its own ingest token
 * (whatever the developer's .dev.vars says) and state in `scratch`.
 * @param {string} scratch
 * @param {string} ingestToken
 */
function startBenchService(scratch, ingestToken) {
  progress(`starting the service (scripts/start.mjs with ${BENCH_ENTRY}, state in ${scratch})`);
  return startService({
    persistDir: join(scratch, "state"),
    devArgs: [
      BENCH_ENTRY,
      "--var",
      `INGEST_TOKEN:${ingestToken}`,
      "--var",
      "ALLOW_PRIVATE_URLS:true",
      // Never resolved while private URLs are allowed; should that change, the lookup stays local.
      "--var",
      "DOH_URL:http://127.0.0.1:9/dns-query",
      // Retries after 1 s (production: 5 s, 5 min, …): section 6's retries happen within the run.
      "--var",
      "RETRY_DELAYS_S:1,1,1,1,1,1,1,1,1",
      ...extraVars.flatMap((v) => ["--var", v]),
    ],
  });
}

/** What the results file says about the run itself. @returns {Record<string, unknown>} */
const resultsHeader = () => ({
  generated_at: new Date().toISOString(),
  quick,
  only,
  vars_overridden: extraVars,
  machine: {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model,
    node: process.version,
    load_average_at_start: os.loadavg(),
  },
  queue_settings: queueSettings(root),
});

async function main() {
  const scratch = join(root, "bench/tmp", `run-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const receiver = await startReceiver();
  const ingestToken = `bench-${randomUUID()}`;
  const service = await startBenchService(scratch, ingestToken);
  const client = createClient(service.base, 64);
  const pipe = pipeline({ client, receiver, ingestToken, queues: queueOfBinding(root), progress });
  /** @type {Context} */
  const ctx = { client, receiver, service, profile, progress, pipe };
  const results = resultsHeader();
  /** @type {Record<string, string>} */
  const printed = {};
  try {
    if (chosen.some(([key]) => key === "work")) {
      progress("preparing the accounts of section 4");
      await prepareWork(ctx);
      await pipe.waitIdle();
    }
    // Work right after ingest (which makes no deliveries, so nothing delayed is pending);
    // the hanging receiver's retries outlive their scenario, so latency comes last.
    for (const [key, , section] of chosen) {
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
  results.seconds = (Date.now() - started) / 1000;
  report(printed);
  const name = `results-${quick ? "quick" : "full"}${only ? `-${only.join("-")}` : ""}${extraVars.map((v) => `-${v.replace(/[^\w]+/g, "_")}`).join("")}.json`;
  const out = join(root, "bench/tmp", name);
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  progress(`done in ${Number(results.seconds).toFixed(0)} s; results in ${out}`);
}

/** @param {Record<string, string>} printed */
function report(printed) {
  const settings = queueSettings(root);
  /** @param {typeof settings.local} queues */
  const fmt = (queues) =>
    Object.entries(queues)
      .map(([queue, q]) => `${queue}: ${q.max_batch_size} per batch, ${q.max_batch_timeout_s} s`)
      .join("; ");
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  const ordered = [...SECTIONS].sort(([, a], [, b]) => a.localeCompare(b));
  console.log(`
================================ eventinsight-webhooks benchmark ================================
${quick ? "QUICK run (CI smoke test: small samples, numbers are indicative only)" : "Full run"}${extraVars.length > 0 ? ` with ${extraVars.join(", ")}` : ""} on ${os.cpus().length} × ${os.cpus()[0]?.model}, load average ${load} at the end.
Every figure is measured in this run on the local runtime; ratios compare with floors and ceilings of the same run.
Queue batch settings: local ${fmt(settings.local)}.
                      production ${fmt(settings.production)}.
${ordered.map(([key, title]) => `\n${title}\n${printed[key] ?? "(not run)"}`).join("\n")}
`);
}

main().catch((error) => {
  console.error(`\nbench failed: ${error?.stack ?? error}`);
  process.exit(1);
});
