// A webhook about to be created: its id, a fresh signing key, and its credentials sealed.

import { newId } from "../ids";
import { type CustomHeaders, maskedHeaders, sealHeaders } from "./custom-headers";
import { authOf, type EndpointAuth, maskedAuth, sealClientSecret, storedAuth } from "./endpoint-auth";
import type { WebhookRecord } from "./record";
import type { WebhookIn } from "./schemas";
import { encryptSecret, type SecretKeys } from "./secrets";
import { newSigningKey, type ShownKey, shownKey } from "./signing-keys";

interface NewWebhook {
  record: WebhookRecord;
  /** For the create answer only: the secret in the clear, or the public key of an Ed25519 webhook. */
  key: ShownKey;
  headers: CustomHeaders;
  auth: EndpointAuth | null;
}

export async function newWebhook(
  input: WebhookIn,
  accountId: string,
  keys: SecretKeys,
  now: string,
): Promise<NewWebhook> {
  const id = newId("wh");
  const signingKey = await newSigningKey(input.signature_scheme);
  const { headers: given, auth: givenAuth, ...fields } = input;
  const headers = given ?? {};
  const auth = givenAuth ? authOf(givenAuth) : null;
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
    auth: maskedAuth(storedAuth(auth)),
    secret_sealed: await encryptSecret(signingKey.key, id, keys),
    headers_sealed: await sealHeaders(headers, id, keys),
    previous_secret_sealed: null,
    previous_secret_expires_at: null,
    auth_secret_sealed: await sealClientSecret(auth, id, keys),
  };
  return { record, key: shownKey(signingKey), headers, auth };
}
