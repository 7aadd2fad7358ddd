// A webhook ready to send to: its record, its secrets in the clear (current first), its headers.
import { type CustomHeaders, openHeaders } from "../webhooks/custom-headers";
import { decryptSecret, secretKeysOf } from "../webhooks/secrets";
import type { WebhookRecord } from "../webhooks/storage";

export interface Target {
  webhook: WebhookRecord;
  secrets: string[];
  headers: CustomHeaders;
}

export async function targetOf(env: Env, webhook: WebhookRecord, nowMs: number): Promise<Target> {
  const keys = secretKeysOf(env);
  const secrets = [await decryptSecret(webhook.secret_sealed, webhook.id, keys)];
  const overlapEnds = webhook.previous_secret_expires_at ? Date.parse(webhook.previous_secret_expires_at) : 0;
  if (webhook.previous_secret_sealed && overlapEnds > nowMs) {
    secrets.push(await decryptSecret(webhook.previous_secret_sealed, webhook.id, keys));
  }
  return { webhook, secrets, headers: await openHeaders(webhook.headers_sealed, webhook.id, keys) };
}

/** Targets of one batch: each webhook's secrets and headers are decrypted once, however many jobs it has. */
export function batchTargets(env: Env, nowMs: number): (webhook: WebhookRecord) => Promise<Target> {
  const targets = new Map<string, Promise<Target>>();
  return (webhook) => {
    let target = targets.get(webhook.id);
    if (!target) {
      target = targetOf(env, webhook, nowMs);
      targets.set(webhook.id, target);
    }
    return target;
  };
}
