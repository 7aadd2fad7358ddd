// A webhook as D1 stores it, and its one row→object mapper.
import { maskedHeaders } from "./custom-headers";
import { maskedAuth } from "./endpoint-auth";
import type { WebhookOut } from "./schemas";
import type { SignatureScheme } from "./signing-keys";
import type { Trigger } from "./triggers";

/**
 * A webhook as stored, credentials still sealed; `headers` holds the names, values masked, and
 * `auth` the endpoint credentials with the client secret masked.
 */
export interface WebhookRecord extends WebhookOut {
  account_id: string;
  /** Counts every change of the webhook's configuration (see ../delivery/grants.ts). */
  config_version: number;
  /** The current signing key (of `signature_scheme`). */
  secret_sealed: string;
  headers_sealed: string | null;
  /** The key that signed before a rotation or a change of scheme, until its overlap ends. */
  previous_secret_sealed: string | null;
  previous_secret_expires_at: string | null;
  auth_secret_sealed: string | null;
}

export interface WebhookRow {
  id: string;
  account_id: string;
  name: string;
  url: string;
  is_active: number;
  triggers: string;
  event_ids: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  disabled_reason: "gone" | "failing" | null;
  last_delivery_at: string | null;
  last_status: number | null;
  consecutive_failures: number;
  failing_since: string | null;
  headers: string | null;
  header_names: string;
  max_per_second: number | null;
  config_version: number;
  signature_scheme: SignatureScheme;
  auth: string | null;
  auth_secret: string | null;
  created_at: string;
  updated_at: string;
  failed_deliveries?: number;
}

export function toWebhookRecord(row: WebhookRow): WebhookRecord {
  return {
    id: row.id,
    account_id: row.account_id,
    config_version: row.config_version,
    name: row.name,
    url: row.url,
    is_active: row.is_active === 1,
    triggers: JSON.parse(row.triggers) as Trigger[],
    event_ids: JSON.parse(row.event_ids) as string[],
    created_at: row.created_at,
    updated_at: row.updated_at,
    disabled_reason: row.disabled_reason,
    last_delivery_at: row.last_delivery_at,
    last_status: row.last_status,
    consecutive_failures: row.consecutive_failures,
    failing_since: row.failing_since,
    failed_deliveries: row.failed_deliveries ?? 0,
    headers: maskedHeaders(JSON.parse(row.header_names) as string[]),
    max_per_second: row.max_per_second,
    signature_scheme: row.signature_scheme,
    auth: maskedAuth(row.auth),
    secret_sealed: row.secret,
    headers_sealed: row.headers,
    previous_secret_sealed: row.previous_secret,
    previous_secret_expires_at: row.previous_secret_expires_at,
    auth_secret_sealed: row.auth_secret,
  };
}

/** The public view: everything but the account and the sealed credentials; header values and client secret masked. */
export function toWebhookOut(record: WebhookRecord): WebhookOut {
  const {
    account_id,
    config_version,
    secret_sealed,
    previous_secret_sealed,
    previous_secret_expires_at,
    headers_sealed,
    auth_secret_sealed,
    ...out
  } = record;
  return out;
}

/** What a webhook's Durable Object must know of its configuration to let deliveries go. */
export const deliveryStateOf = (record: WebhookRecord) => ({
  active: record.is_active,
  disabled_reason: record.disabled_reason,
  max_per_second: record.max_per_second,
});
