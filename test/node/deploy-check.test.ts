// npm run deploy checks the production configuration before anything remote: a value that cannot
// be right for a deployment stops it with what to set and exit 1; a plausible configuration
// passes, built by wrangler's dry run without a warning. No account, and no network: wrangler's
// API is pointed at a closed loopback port, so a remote call that slipped through would fail.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { repoRoot } from "./started-service";

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const toml = readFileSync(join(repoRoot, "wrangler.toml"), "utf8");
const [localPart = "", productionPart = ""] = toml.split(/^(?=\[env\.production\]$)/m);
const PLAUSIBLE_ID = "5f8a0c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";

/** The repository's wrangler.toml with `change` applied to its [env.production] part. */
const withProduction = (change: (production: string) => string) => localPart + change(productionPart);

/** wrangler.toml as it would be deployed: the placeholder id replaced by a real-looking one. */
const plausible = (production: string) =>
  production.replace(/^database_id = "0{8}-0{4}-0{4}-0{4}-0{12}"/m, `database_id = "${PLAUSIBLE_ID}"`);

/** A checkout with `wrangler` as its wrangler.toml: scripts and package.json copied, the rest linked. */
function checkout(wrangler: string): string {
  const dir = mkdtempSync(join(tmpdir(), "eventinsight-deploy-check-"));
  scratch.push(dir);
  cpSync(join(repoRoot, "scripts"), join(dir, "scripts"), { recursive: true });
  cpSync(join(repoRoot, "package.json"), join(dir, "package.json"));
  for (const linked of ["src", "migrations", "node_modules"])
    symlinkSync(join(repoRoot, linked), join(dir, linked));
  writeFileSync(join(dir, "wrangler.toml"), wrangler);
  return dir;
}

/** Runs a command in `dir` without credentials, wrangler's API on a loopback port nothing listens on. */
function run(dir: string, command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: "true",
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_API_BASE_URL: "http://127.0.0.1:9/client/v4",
  };
  for (const name of ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY", "CLOUDFLARE_ACCOUNT_ID"])
    delete env[name];
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: dir, env });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("close", (code) => resolve({ code, output }));
  });
}

const check = (dir: string, ...args: string[]) =>
  run(dir, process.execPath, [join(dir, "scripts/deploy-check.mjs"), ...args]);

describe("npm run deploy", () => {
  it("stops before anything remote, naming database_id, while it is the placeholder", async () => {
    const dir = checkout(toml);
    const { code, output } = await run(dir, "npm", ["run", "deploy"]);
    expect(code, output).not.toBe(0);
    expect(output).toContain("database_id in [[env.production.d1_databases]] is the placeholder");
    expect(output).toContain("npx wrangler d1 create eventinsight-webhooks");
    expect(output).toContain("Nothing was deployed and no migration was applied.");
    // wrangler itself never ran: neither the migrations nor the deploy (nor the dry run).
    expect(output).not.toMatch(/⛅️|Migrations to be applied|Total Upload/);
  });
});

describe("the deploy check", () => {
  it("passes a plausible production configuration, built by the dry run without a warning", async () => {
    const { code, output } = await check(checkout(withProduction(plausible)));
    expect(code, output).toBe(0);
    expect(output).toContain(
      "Production configuration checked; wrangler deploy --dry-run built it without a warning.",
    );
  });

  it("names every value that cannot be right for a deployment, and what to set", async () => {
    const broken = withProduction((production) =>
      plausible(production)
        .replace(PLAUSIBLE_ID, "eventinsight-webhooks")
        .replace('ALLOW_PRIVATE_URLS = "false"', 'ALLOW_PRIVATE_URLS = "true"')
        .replace(
          'DOH_URL = "https://cloudflare-dns.com/dns-query"',
          'DOH_URL = "http://127.0.0.1:9/dns-query"',
        )
        .replace('CONCURRENT_SENDS = "6"', 'CONCURRENT_SENDS = "six"')
        .replace('RETRY_DELAYS_S = ""', 'RETRY_DELAY_S = ""')
        .replace(/\[\[env\.production\.analytics_engine_datasets\]\][^[]*/, "")
        .replace(/\[env\.production\.observability\][^[]*\[env\.production\.observability\.logs\][^[]*/, ""),
    );
    const { code, output } = await check(checkout(broken));
    expect(code, output).toBe(1);
    for (const named of [
      'database_id in [[env.production.d1_databases]] is "eventinsight-webhooks", not a D1 database id',
      'ALLOW_PRIVATE_URLS is "true" in [env.production.vars]',
      'Set it to "false"',
      'DOH_URL is "http://127.0.0.1:9/dns-query"',
      'CONCURRENT_SENDS is "six"',
      "[env.production.vars] lacks RETRY_DELAYS_S",
      "[env.production.vars] sets RETRY_DELAY_S, which the Worker does not read",
      '[[analytics_engine_datasets]] binding "METRICS" (eventinsight_webhook_attempts) is in the local configuration but not in production',
      "add it as [[env.production.analytics_engine_datasets]]",
      "set [env.production.observability] enabled = true",
    ]) {
      expect(output).toContain(named);
    }
  });

  it("in CI, runs the dry run alone and fails on wrangler's configuration warning", async () => {
    const unset = withProduction((production) => production.replace(/^RETRY_DELAYS_S = ""\n/m, ""));
    const { code, output } = await check(checkout(unset), "--dry-run-only");
    expect(code, output).toBe(1);
    expect(output).toContain("[WARNING]");
    expect(output).toContain("RETRY_DELAYS_S");
  });
});
