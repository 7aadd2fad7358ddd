// The cron's work: forget failed deliveries after 30 days.
import { RETENTION_DAYS } from "./failed/schemas";
import { purgeFailed } from "./failed/storage";

export async function runMaintenance(env: Env, nowMs: number): Promise<void> {
  const before = new Date(nowMs - RETENTION_DAYS * 24 * 3600 * 1000).toISOString();
  const purged = await purgeFailed(env.DB, before);
  console.log(JSON.stringify({ level: "info", msg: "maintenance", purged_failed_deliveries: purged }));
}
