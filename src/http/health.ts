// What GET /healthz says about this deployment: "ok" only when every secret the Worker needs is
// set. A deployment missing one names it (names only, never values) instead of failing later on
// the first request that needs it. Pure, so that tests in Node can import it too.

/** wrangler.toml's `[secrets] required`; a test keeps this list in step with it. */
export const REQUIRED_SECRETS = ["ADMIN_JWT_SECRET", "INGEST_TOKEN", "SECRET_ENCRYPTION_KEY"] as const;

export type Health =
  | { status: "ok"; start_id?: string }
  | { status: "misconfigured"; missing: (typeof REQUIRED_SECRETS)[number][] };

/**
 * The health of a Worker with these bindings. `DEV_START_ID` is set only by `npm start` (a fresh
 * id per start): echoing it lets the script tell its own server from anything else on the port.
 */
export function health(env: object): Health {
  const bindings = env as Record<string, unknown>;
  const missing = REQUIRED_SECRETS.filter((name) => {
    const value = bindings[name];
    return typeof value !== "string" || value.trim() === "";
  });
  if (missing.length > 0) return { status: "misconfigured", missing };
  const startId = bindings.DEV_START_ID;
  return typeof startId === "string" ? { status: "ok", start_id: startId } : { status: "ok" };
}
