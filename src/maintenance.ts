// The cron's work: forget failed deliveries after 30 days, and re-encrypt webhook credentials still
// sealed with a former SECRET_ENCRYPTION_KEY. Each runs even if the other fails.
import { RETENTION_MS } from "./config";
import { purgeFailed } from "./failed/storage";
import { logError, logInfo } from "./log";
import { resealSecrets } from "./webhooks/reseal";
import { secretKeysOf } from "./webhooks/secrets";

export async function runMaintenance(env: Env, nowMs: number): Promise<void> {
  const before = new Date(nowMs - RETENTION_MS).toISOString();
  const [purged, secrets] = await Promise.allSettled([
    purgeFailed(env.DB, before),
    resealSecrets(env.DB, secretKeysOf(env)),
  ]);
  const fields = {
    purged_failed_deliveries: purged.status === "fulfilled" ? purged.value : String(purged.reason),
    secrets_resealed: secrets.status === "fulfilled" ? secrets.value.resealed : String(secrets.reason),
    secrets_unreadable: secrets.status === "fulfilled" ? secrets.value.unreadable : null,
    secrets_to_reseal: secrets.status === "fulfilled" ? secrets.value.remaining : null,
  };
  const failures = [purged, secrets].flatMap((outcome) =>
    outcome.status === "rejected" ? [outcome.reason] : [],
  );
  if (failures.length === 0) return logInfo("maintenance", fields);
  logError("maintenance", failures[0], fields);
  throw failures[0];
}
