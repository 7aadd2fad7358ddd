import { type CustomHeaders, maskedHeaders, sealHeaders } from "./custom-headers";
import type { WebhookPatch } from "./schemas";
import type { SecretKeys } from "./secrets";
import type { WebhookRecord } from "./storage";

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");

/**
 * A webhook with a PATCH applied. Re-activating clears why it was disabled and its failure streak.
 * `updated_at` moves only when something changed (the caller leaves out headers that are the same
 * as the webhook's: only it can open the sealed ones).
 */
export function applyPatch(
  existing: WebhookRecord,
  patch: WebhookPatch,
  now: string,
): { record: WebhookRecord; changed: boolean } {
  const next: WebhookRecord = { ...existing };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.url !== undefined) next.url = patch.url;
  // Triggers and events are sets: the same ones in another order change nothing.
  if (patch.triggers !== undefined && !sameSet(patch.triggers, existing.triggers))
    next.triggers = patch.triggers;
  if (patch.event_ids !== undefined && !sameSet(patch.event_ids, existing.event_ids))
    next.event_ids = patch.event_ids;
  if (patch.is_active !== undefined) next.is_active = patch.is_active;
  if (patch.max_per_second !== undefined) next.max_per_second = patch.max_per_second;
  if (patch.is_active === true && !existing.is_active) {
    next.disabled_reason = null;
    next.failing_since = null;
    next.consecutive_failures = 0;
  }
  const keys = Object.keys(next) as (keyof WebhookRecord)[];
  const changed = keys.some((key) => JSON.stringify(next[key]) !== JSON.stringify(existing[key]));
  if (changed || patch.headers !== undefined) next.updated_at = now;
  return { record: next, changed: changed || patch.headers !== undefined };
}

/** The webhook with its whole set of headers replaced (null or {} removes them all), sealed. */
export async function withHeaders(
  record: WebhookRecord,
  headers: CustomHeaders | null,
  keys: SecretKeys,
): Promise<WebhookRecord> {
  const set = headers ?? {};
  return {
    ...record,
    headers: maskedHeaders(Object.keys(set)),
    headers_sealed: await sealHeaders(set, record.id, keys),
  };
}
