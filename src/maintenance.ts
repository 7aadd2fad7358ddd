// The cron's work: forget failed deliveries after 30 days, and re-encrypt webhook credentials still
// sealed with a former SECRET_ENCRYPTION_KEY. Each runs even if the other fails.
import { RETENTION_MS } from "./config";
import { purgeFailed } from "./failed/storage";
import { resealSecrets } from "./webhooks/reseal";
import { secretKeysOf } from "./webhooks/secrets";

export async function runMaintenance(env: Env, nowMs: number): Promise<void> {
  const before = new Date(nowMs - RETENTION_MS).toISOString();
  const [purged, secrets] = await Promise.allSettled([
    purgeFailed(env.DB, before),
    resealSecrets(env.DB, secretKeysOf(env)),
  ]);
  console.log(
    JSON.stringify({
      level: purged.status === "fulfilled" && secrets.status === "fulfilled" ? "info" : "error",
      msg: "maintenance",
      purged_failed_deliveries: purged.status === "fulfilled" ? purged.value : String(purged.reason),
      secrets_resealed: secrets.status === "fulfilled" ? secrets.value.resealed : String(secrets.reason),
      secrets_unreadable: secrets.status === "fulfilled" ? secrets.value.unreadable : null,
      secrets_to_reseal: secrets.status === "fulfilled" ? secrets.value.remaining : null,
    }),
  );
  for (const outcome of [purged, secrets]) if (outcome.status === "rejected") throw outcome.reason;
}
