// npm start: local D1 migrated, the Worker on http://localhost:$PORT with local D1, Queues and
// Durable Objects, and a ready admin-page link. No Cloudflare account involved.
//
// Arguments after `--` go to `wrangler dev` as they are, e.g. the benchmark's entry script
//   node scripts/start.mjs -- bench/worker/index.ts --var NAME:VALUE
import { spawn, spawnSync } from "node:child_process";
import { ensureDevVars, root, wranglerEnv } from "./dev-env.mjs";
import { mintToken } from "./token.mjs";

const port = Number(process.env.PORT ?? 8787);
// Where local D1 and Durable Object data live (default .wrangler/state); tests and benchmarks
// point it at a scratch directory.
const persist = process.env.PERSIST_DIR ? ["--persist-to", process.env.PERSIST_DIR] : [];
const devArgs = process.argv.includes("--") ? process.argv.slice(process.argv.indexOf("--") + 1) : [];
// wrangler dev's line per request costs about a fifth of the local request rate (see bench/README.md):
// warnings and errors only (the Worker logs every failure), unless WRANGLER_LOG=info asks for them.
const logLevel = process.env.WRANGLER_LOG ? [] : ["--log-level", "warn"];
const { vars, created } = ensureDevVars();
if (created) console.log("Wrote .dev.vars from .dev.vars.example (local development defaults).");

const migrate = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local", ...persist], {
  cwd: root,
  env: wranglerEnv,
  stdio: "inherit",
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const dev = spawn(
  "wrangler",
  [
    "dev",
    "--port",
    String(port),
    "--show-interactive-dev-session=false",
    ...logLevel,
    ...persist,
    ...devArgs,
  ],
  {
    cwd: root,
    env: wranglerEnv,
    stdio: "inherit",
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));

const base = `http://localhost:${port}`;
for (let i = 0; i < 240; i++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {}
  await new Promise((resolve) => setTimeout(resolve, 500));
}
const token = await mintToken({
  account: "acme",
  user: "u1",
  name: "Dev Admin",
  email: "admin@example.com",
  secret: vars.ADMIN_JWT_SECRET,
});
console.log(`
  EventInsight Webhooks is running on ${base}
  Admin page:   ${base}/admin#token=${token}
  Admin token:  ${token}   (account "acme", 12 h; npm run token -- --account acme --user u1 for another)
  Ingest token: ${vars.INGEST_TOKEN}
`);
