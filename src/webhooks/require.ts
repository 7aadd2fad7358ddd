import { notFound } from "../http/problem";
import { getWebhook, type WebhookRecord } from "./storage";

/** The account's webhook, or a 404 — also for another account's webhook, which is never shown. */
export async function requireWebhook(env: Env, accountId: string, id: string): Promise<WebhookRecord> {
  const record = await getWebhook(env.DB, accountId, id);
  if (!record) throw notFound(`Webhook ${id}`);
  return record;
}
