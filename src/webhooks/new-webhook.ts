// A webhook about to be created: its id, a fresh signing secret, and its credentials sealed.

import { newId } from "../ids";
import { type CustomHeaders, maskedHeaders, sealHeaders } from "./custom-headers";
import type { WebhookRecord } from "./record";
import type { WebhookIn } from "./schemas";
import { encryptSecret, newSigningSecret, type SecretKeys } from "./secrets";

export interface NewWebhook {
  record: WebhookRecord;
  /** In the clear, for the create answer only. */
  secret: string;
  headers: CustomHeaders;
}

export async function newWebhook(
  input: WebhookIn,
  accountId: string,
  keys: SecretKeys,
  now: string,
): Promise<NewWebhook> {
  const id = newId("wh");
  const secret = newSigningSecret();
  const { headers: given, ...fields } = input;
  const headers = given ?? {};
  const record: WebhookRecord = {
    ...fields,
    id,
    account_id: accountId,
    config_version: 1,
    created_at: now,
    updated_at: now,
    disabled_reason: null,
    last_delivery_at: null,
    last_status: null,
    consecutive_failures: 0,
    failing_since: null,
    failed_deliveries: 0,
    headers: maskedHeaders(Object.keys(headers)),
    secret_sealed: await encryptSecret(secret, id, keys),
    headers_sealed: await sealHeaders(headers, id, keys),
    previous_secret_sealed: null,
    previous_secret_expires_at: null,
  };
  return { record, secret, headers };
}
