// npm run deploy, step 1, before anything remote: the production configuration ([env.production]
// of wrangler.toml, as wrangler itself reads it) must hold nothing that cannot be right for a
// deployment, and `wrangler deploy --dry-run --env production` must build it without a warning.
// Exit 1 naming what to set; exit 0 when both hold. No account, no network.
//
//   node scripts/deploy-check.mjs                 both (npm run deploy:check)
//   node scripts/deploy-check.mjs --dry-run-only  the dry run alone (npm run deploy:dry-run, CI:
//                                                 the repository's config keeps its placeholder id)
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { root } from "./dev-env.mjs";

const CONFIG = join(root, "wrangler.toml");
const PLACEHOLDER_ID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Vars config.ts reads as numbers: anything else there is silently replaced by its default. */
const NUMERIC_VARS = [
  "DELIVERY_TIMEOUT_MS",
  "OVERLOAD_FLOOR_S",
  "SLOW_LANE_AFTER_MS",
  "CONCURRENT_SENDS",
  "MAX_WEBHOOKS_PER_ACCOUNT",
];
/** Keeps fetch() to a hostname from reaching Cloudflare-internal or private addresses. */
const REQUIRED_FLAGS = ["global_fetch_strictly_public"];

const isNumber = (value) => value.trim() !== "" && Number.isFinite(Number(value)) && Number(value) >= 0;

/** Whether a URL's host is this machine or a private network, by its literal name or address. */
function isPrivateHost(host) {
  const name = host.replace(/^\[|\]$/g, "").toLowerCase();
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    /^(127|10|0)\./.test(name) ||
    /^192\.168\./.test(name) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(name) ||
    /^169\.254\./.test(name) ||
    name === "::1" ||
    /^f[cd][0-9a-f]{2}:/.test(name) ||
    /^fe80:/.test(name)
  );
}

/** What a configuration binds, each as it is written in wrangler.toml. */
function bindingsOf(config) {
  return [
    ...config.d1_databases.map((d) => `[[d1_databases]] binding "${d.binding}"`),
    ...(config.queues.producers ?? []).map((q) => `[[queues.producers]] binding "${q.binding}" (${q.queue})`),
    ...(config.queues.consumers ?? []).map((q) => `[[queues.consumers]] queue "${q.queue}"`),
    ...config.durable_objects.bindings.map(
      (d) => `[[durable_objects.bindings]] name "${d.name}" (${d.class_name})`,
    ),
    ...config.ratelimits.map((r) => `[[ratelimits]] name "${r.name}"`),
    ...config.analytics_engine_datasets.map(
      (a) => `[[analytics_engine_datasets]] binding "${a.binding}" (${a.dataset})`,
    ),
    ...(config.triggers.crons ?? []).map((cron) => `[triggers] crons "${cron}"`),
  ];
}

/**
 * What in the production configuration cannot be right for a deployment, each with what to set.
 * `local` (the top level, which npm start and the tests run) is the reference for what production
 * must bind and declare. Both as wrangler's unstable_readConfig reads them.
 */
export function productionProblems(production, local) {
  const problems = [];
  const db = production.d1_databases.find((d) => d.binding === "DB");
  const id = db?.database_id ?? "";
  if (db && PLACEHOLDER_ID.test(id)) {
    problems.push(
      "database_id in [[env.production.d1_databases]] is the placeholder 00000000-…: set it to your " +
        "database's id (npx wrangler d1 create eventinsight-webhooks prints it; npx wrangler d1 list shows it).",
    );
  } else if (db && !UUID.test(id)) {
    problems.push(
      `database_id in [[env.production.d1_databases]] is "${id}", not a D1 database id: set it to the id ` +
        "npx wrangler d1 list shows for eventinsight-webhooks.",
    );
  }

  const vars = production.vars ?? {};
  const text = (name) => (typeof vars[name] === "string" ? vars[name] : "");
  if (text("ALLOW_PRIVATE_URLS") === "true") {
    problems.push(
      'ALLOW_PRIVATE_URLS is "true" in [env.production.vars]: webhooks could then reach http:// and ' +
        'private, loopback and link-local hosts (local development only). Set it to "false".',
    );
  }
  const doh = text("DOH_URL").trim();
  if (doh) {
    const url = URL.canParse(doh) ? new URL(doh) : null;
    if (url?.protocol !== "https:" || isPrivateHost(url.hostname)) {
      problems.push(
        `DOH_URL is "${doh}" in [env.production.vars]: the resolver that checks every webhook host must be ` +
          'reached over https on a public host. Set it to "https://cloudflare-dns.com/dns-query" (or "" for that default).',
      );
    }
  }
  for (const name of NUMERIC_VARS) {
    if (text(name) !== "" && !isNumber(text(name))) {
      problems.push(
        `${name} is "${text(name)}" in [env.production.vars], not a number: the Worker would ignore it and use ` +
          'its default. Set a number (or "" for the default).',
      );
    }
  }
  const delays = text("RETRY_DELAYS_S");
  if (delays.trim() !== "" && !delays.split(",").every(isNumber)) {
    problems.push(
      `RETRY_DELAYS_S is "${delays}" in [env.production.vars], not a comma list of seconds: the Worker would ` +
        'ignore it and use the default schedule. Set e.g. "5,300,1800" (or "" for the default).',
    );
  }
  const localVars = Object.keys(local.vars ?? {});
  for (const name of localVars.filter((n) => !(n in vars))) {
    problems.push(
      `[env.production.vars] lacks ${name}, which [vars] declares (vars are not inherited): add it ` +
        `(${name} = "" keeps the Worker's default).`,
    );
  }
  for (const name of Object.keys(vars).filter((n) => !localVars.includes(n))) {
    problems.push(
      `[env.production.vars] sets ${name}, which the Worker does not read (a typo?): remove it, or declare it under [vars] too.`,
    );
  }

  const required = production.secrets?.required ?? [];
  for (const name of (local.secrets?.required ?? []).filter((n) => !required.includes(n))) {
    problems.push(
      `[env.production.secrets] required lacks ${name}: add it (and npx wrangler secret put ${name} --env production).`,
    );
  }

  const bound = new Set(bindingsOf(production));
  for (const binding of bindingsOf(local).filter((b) => !bound.has(b))) {
    const table = binding.slice(0, binding.indexOf(" "));
    problems.push(
      `${binding} is in the local configuration but not in production (bindings are not inherited): ` +
        `add it as ${table.replace(/^(\[+)/, "$1env.production.")}.`,
    );
  }
  if (!production.observability?.enabled || production.observability.logs?.enabled === false) {
    problems.push(
      "Workers Logs are off for production: set [env.production.observability] enabled = true (the runbook's " +
        "log lines and alerts need them; docs/operations.md).",
    );
  }
  for (const flag of REQUIRED_FLAGS.filter((f) => !production.compatibility_flags.includes(f))) {
    problems.push(
      `compatibility_flags lacks "${flag}": without it fetch() to a webhook's host may reach Cloudflare-internal ` +
        "or private addresses. Put it back into compatibility_flags.",
    );
  }
  return problems;
}

/** Builds the production Worker without deploying it: its output, and whether wrangler warned or failed. */
export function dryRun() {
  // The Node running this script (npm's scripts run the project's Node 22, which wrangler needs).
  const run = spawnSync(
    process.execPath,
    [
      join(root, "node_modules/wrangler/bin/wrangler.js"),
      "deploy",
      "--dry-run",
      "--env",
      "production",
      "--config",
      CONFIG,
    ],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0", NO_COLOR: "1" },
    },
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colours
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`.replace(/\u001b\[[0-9;]*m/g, "");
  const warned = /\[(WARNING|ERROR)\]/.test(output);
  return { ok: run.status === 0 && !warned, output };
}

function stop(message) {
  console.error(`\n  deploy stopped before anything remote: ${message}\n`);
  process.exit(1);
}

function main() {
  const dryRunOnly = process.argv.includes("--dry-run-only");
  if (!dryRunOnly) {
    let local;
    let production;
    try {
      [local, production] = [undefined, "production"].map((env) =>
        unstable_readConfig({ config: CONFIG, env }, { hideWarnings: true }),
      );
    } catch (error) {
      return stop(`wrangler.toml cannot be read: ${error instanceof Error ? error.message : error}`);
    }
    const problems = productionProblems(production, local);
    if (problems.length > 0) {
      return stop(
        "the production configuration (wrangler.toml, [env.production]) is not ready:\n" +
          `${problems.map((p) => `  - ${p}`).join("\n")}\n  Nothing was deployed and no migration was applied.`,
      );
    }
  }
  const build = dryRun();
  if (!build.ok) {
    return stop(
      `wrangler deploy --dry-run --env production warned or failed; fix wrangler.toml until it builds ` +
        `without a warning:\n${build.output}`,
    );
  }
  console.log(
    dryRunOnly
      ? "wrangler deploy --dry-run --env production: built, no warning."
      : "Production configuration checked; wrangler deploy --dry-run built it without a warning.",
  );
}

if (import.meta.url === `file://${process.argv[1]}`) main();
