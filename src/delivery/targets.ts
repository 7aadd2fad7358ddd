// A webhook ready to send to: its record, its signing keys in the clear (current first), its headers.
import { type CustomHeaders, openHeaders } from "../webhooks/custom-headers";
import { secretKeysOf } from "../webhooks/secrets";
import { openSigningKeys, type SigningKey } from "../webhooks/signing-keys";
import type { WebhookRecord } from "../webhooks/storage";

export interface Target {
  webhook: WebhookRecord;
  /** Current key first; the previous one too while a rotation or a change of scheme overlaps. */
  signingKeys: SigningKey[];
  headers: CustomHeaders;
}

export async function targetOf(env: Env, webhook: WebhookRecord, nowMs: number): Promise<Target> {
  const keys = secretKeysOf(env);
  const [signingKeys, headers] = await Promise.all([
    openSigningKeys(webhook, keys, nowMs),
    openHeaders(webhook.headers_sealed, webhook.id, keys),
  ]);
  return { webhook, signingKeys, headers };
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
