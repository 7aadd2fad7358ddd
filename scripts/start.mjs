// npm start: local D1 migrated, the Worker on http://localhost:$PORT with local D1, Queues and
// Durable Objects, and a ready admin-page link. No Cloudflare account involved.
//
// Its arguments go to `wrangler dev` as they are, e.g. a var for one run or the benchmark's entry
//   npm start -- --var RETRY_DELAYS_S:1,1,1
//   node scripts/start.mjs -- bench/worker/index.ts --var NAME:VALUE
//
// The link is printed only once the server on the port has proved to be the one this start
// spawned: wrangler dev gets a fresh DEV_START_ID, and /healthz must answer with it. Anything else
// answering there (another copy of the service, any other server) never gets a link printed for it.
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { ensureDevVars, missingSecrets, portInUse, root, unreadDevVars, wranglerEnv } from "./dev-env.mjs";
import { DEV_ADMIN, mintToken } from "./token.mjs";

const port = Number(process.env.PORT ?? 8787);
const base = `http://localhost:${port}`;
const startId = randomUUID();
// Where local D1 and Durable Object data live (default .wrangler/state); tests and benchmarks
// point it at a scratch directory.
const persist = process.env.PERSIST_DIR ? ["--persist-to", process.env.PERSIST_DIR] : [];
// npm passes what follows `npm start --` on its own; `node scripts/start.mjs -- …` passes the `--` too.
const given = process.argv.slice(2);
const extraDevArgs = given[0] === "--" ? given.slice(1) : given;
const devArgs = [
  "dev",
  ["--port", String(port)],
  "--show-interactive-dev-session=false",
  ["--var", `DEV_START_ID:${startId}`],
  // wrangler dev's line per request costs about a fifth of the local request rate (bench/README.md):
  // warnings and errors only (the Worker logs every failure), unless WRANGLER_LOG=info asks for them.
  process.env.WRANGLER_LOG ? [] : ["--log-level", "warn"],
  persist,
  extraDevArgs,
].flat();
const READY_WITHIN_MS = 120_000;

function stop(message) {
  console.error(`\n  npm start stopped: ${message}\n`);
  process.exit(1);
}

function checkDevVars() {
  const { vars, created } = ensureDevVars();
  if (created) console.log("Wrote .dev.vars from .dev.vars.example (local development defaults).");
  const missing = missingSecrets(vars);
  if (missing.length > 0) {
    stop(
      `.dev.vars lacks ${missing.join(", ")} (wrangler.toml's [secrets] required).\n` +
        `  Add ${missing.length > 1 ? "them" : "it"} to .dev.vars (.dev.vars.example has development values),\n` +
        "  or delete .dev.vars and npm start writes it anew from .dev.vars.example.",
    );
  }
  const unread = unreadDevVars(vars);
  if (unread.length > 0) {
    console.warn(
      `Warning: .dev.vars sets ${unread.join(", ")}, which wrangler dev does not read: it reads only the names\n` +
        "  under wrangler.toml's [vars] and [secrets] required. Pass such a value for one run instead:\n" +
        `  npm start -- --var ${unread[0]}:<value>`,
    );
  }
  return vars;
}

async function checkPort() {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    stop(`PORT=${process.env.PORT} is not a port number.`);
  }
  if (await portInUse(port)) {
    stop(
      `port ${port} is already in use (another npm start, or some other server).\n` +
        `  Stop that server, or start on another port, e.g. PORT=${port === 65535 ? 8787 : port + 1} npm start`,
    );
  }
}

/** Applies the D1 migrations locally; their output only matters when they fail. */
function migrate() {
  console.log("Applying the D1 migrations locally…");
  const run = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local", ...persist], {
    cwd: root,
    env: wranglerEnv,
    encoding: "utf8",
  });
  if (run.status === 0) return;
  process.stdout.write(run.stdout ?? "");
  process.stderr.write(run.stderr ?? String(run.error ?? ""));
  stop("applying the D1 migrations failed (output above).");
}

/** Whether the server answering on the port is the wrangler dev this start spawned. */
async function answersAsOurs() {
  try {
    const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
    return res.ok && (await res.json()).start_id === startId;
  } catch {
    return false;
  }
}

async function printLink(vars) {
  const token = await mintToken({ ...DEV_ADMIN, secret: vars.ADMIN_JWT_SECRET });
  console.log(`
  EventInsight Webhooks is running on ${base}
  Admin page:   ${base}/admin#token=${token}
  Admin token:  ${token}   (account "acme", user "u1", 12 h; npm run token mints another)
  Ingest token: ${vars.INGEST_TOKEN}
`);
}

const vars = checkDevVars();
await checkPort();
migrate();

let ready = false;
const dev = spawn("wrangler", devArgs, { cwd: root, env: wranglerEnv, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("error", (error) => stop(`wrangler dev did not start: ${error.message}`));
dev.on("exit", (code, signal) => {
  if (ready) process.exit(code ?? 0);
  stop(
    `wrangler dev ended (${signal ?? `exit code ${code}`}) before the service was up; see its output above.`,
  );
});

const deadline = Date.now() + READY_WITHIN_MS;
while (!(await answersAsOurs())) {
  if (Date.now() > deadline) {
    dev.kill("SIGTERM");
    stop(`the service did not answer on ${base} within ${READY_WITHIN_MS / 1000} s.`);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
ready = true;
await printLink(vars);
