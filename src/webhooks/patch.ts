import type { WebhookPatch } from "./schemas";
import type { WebhookRecord } from "./storage";

/** A webhook with a PATCH applied. Re-activating clears why it was disabled and its failure streak. */
export function applyPatch(existing: WebhookRecord, patch: WebhookPatch, now: string): WebhookRecord {
  const next: WebhookRecord = { ...existing, updated_at: now };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.url !== undefined) next.url = patch.url;
  if (patch.triggers !== undefined) next.triggers = patch.triggers;
  if (patch.event_ids !== undefined) next.event_ids = patch.event_ids;
  if (patch.is_active !== undefined) next.is_active = patch.is_active;
  if (patch.is_active === true && !existing.is_active) {
    next.disabled_reason = null;
    next.failing_since = null;
    next.consecutive_failures = 0;
  }
  return next;
}
