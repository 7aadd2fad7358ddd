// How the service authenticates to a webhook's receiver besides the signature: OAuth2 client
// credentials (RFC 6749 §4.4), whose token the service fetches before delivering. The client
// secret is a credential like a header value: sealed at rest, in full only in the create and
// PATCH answers and on GET /v1/webhooks/{id}/auth, MASK everywhere else. What is no credential
// (token URL, client id, scope) is stored in the clear, so that answers show it without decrypting.
import { z } from "@hono/zod-openapi";
import { withCode } from "../http/field-errors";
import { noControlCharacters } from "../http/plain-text";
import { MASK } from "./custom-headers";
import type { WebhookRecord } from "./record";
import { decryptSecret, encryptSecret, resealSecret, type SecretKeys } from "./secrets";
import { MAX_URL_LENGTH } from "./url-policy";

const AUTH_TYPES = ["oauth2_client_credentials"] as const;
const MAX_CLIENT_ID_LENGTH = 500;
const MAX_CLIENT_SECRET_LENGTH = 1000;
const MAX_SCOPE_LENGTH = 1000;

/** The endpoint credentials in full: what the service needs to fetch a token. */
export interface EndpointAuth {
  type: (typeof AUTH_TYPES)[number];
  token_url: string;
  client_id: string;
  client_secret: string;
  /** Space-separated scope tokens, sent with the token request; null: none. */
  scope: string | null;
}

// RFC 6749 §3.3: scope tokens of printable ASCII but space, " and \, separated by single spaces.
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

const TokenUrl = z.string().max(MAX_URL_LENGTH, `Must be at most ${MAX_URL_LENGTH} characters`).openapi({
  description:
    "Where the service obtains tokens (POST, client credentials as HTTP Basic). The same rules as the webhook's url: https, a public host",
  example: "https://login.crm.example.com/oauth/token",
});

const credential = (max: number) =>
  z
    .string()
    .min(1, "Must not be empty")
    .max(max, `Must be at most ${max} characters`)
    .refine(...noControlCharacters);

const Scope = z
  .string()
  .max(MAX_SCOPE_LENGTH, `Must be at most ${MAX_SCOPE_LENGTH} characters`)
  .refine(
    (scope) => SCOPE.test(scope),
    withCode("invalid_format", 'Must be scope names separated by single spaces, without " or \\', {
      format: "oauth_scope",
    }),
  )
  .nullable()
  .optional()
  .openapi({
    description: "Space-separated scopes to ask for; left out or null: none",
    example: "webhooks.write",
  });

const authFields = {
  type: z.enum(AUTH_TYPES).openapi({ description: "OAuth2 client credentials grant (RFC 6749 §4.4)" }),
  token_url: TokenUrl,
  client_id: credential(MAX_CLIENT_ID_LENGTH).openapi({ example: "eventinsight" }),
  client_secret: credential(MAX_CLIENT_SECRET_LENGTH).openapi({
    description:
      "A credential: sealed at rest, never shown again but in the create and PATCH answers and GET …/auth",
    example: "cs_9f2b7c41d8e0",
  }),
  scope: Scope,
};

export const EndpointAuthIn = z.strictObject(authFields).openapi("EndpointAuthIn", {
  description:
    "How the service authenticates to the receiver: before delivering it obtains a token from token_url and sends `authorization: Bearer <token>` with each request",
});

export const EndpointAuthPatch = z
  .strictObject({
    ...authFields,
    client_secret: authFields.client_secret.optional().openapi({
      description: "May be left out to keep the stored one, as long as token_url and client_id stay the same",
    }),
  })
  .openapi("EndpointAuthPatch", {
    description:
      "Replaces the endpoint authentication; client_secret may be left out while token_url and client_id stay the same",
  });

export type EndpointAuthIn = z.infer<typeof EndpointAuthIn>;
export type EndpointAuthPatch = z.infer<typeof EndpointAuthPatch>;

export const EndpointAuthOut = z
  .object({
    type: z.enum(AUTH_TYPES),
    token_url: z.string(),
    client_id: z.string(),
    client_secret: z.string().openapi({
      description: `In full only in the create and PATCH answers and GET /v1/webhooks/{id}/auth; "${MASK}" everywhere else`,
      example: MASK,
    }),
    scope: z.string().nullable(),
  })
  .openapi("EndpointAuth", { description: "How the service authenticates to the receiver" });

/** What the `auth` column keeps in the clear: everything but the client secret. */
type StoredAuth = Omit<EndpointAuth, "client_secret">;

/** The endpoint credentials as given, in the stored form (no scope: null). */
export const authOf = (given: Omit<EndpointAuth, "scope"> & { scope?: string | null }): EndpointAuth => ({
  type: given.type,
  token_url: given.token_url,
  client_id: given.client_id,
  client_secret: given.client_secret,
  scope: given.scope ?? null,
});

/** The `auth` column's JSON (no credential in it), or null. */
export function storedAuth(auth: EndpointAuth | null): string | null {
  if (!auth) return null;
  const { client_secret, ...clear } = auth;
  return JSON.stringify(clear);
}

/** The endpoint credentials as answers show them: the client secret masked. */
export function maskedAuth(stored: string | null): EndpointAuth | null {
  return stored === null ? null : { ...(JSON.parse(stored) as StoredAuth), client_secret: MASK };
}

// Bound to the webhook id and to their purpose: a sealed signing key copied here does not open.
const boundTo = (webhookId: string) => `${webhookId}#auth`;

export async function sealClientSecret(
  auth: EndpointAuth | null,
  webhookId: string,
  keys: SecretKeys,
): Promise<string | null> {
  return auth ? encryptSecret(auth.client_secret, boundTo(webhookId), keys) : null;
}

/**
 * The endpoint credentials of a webhook in full, or null when it has none: what a token request
 * needs. The client secret is opened here; never log or store what this returns.
 */
export async function openEndpointAuth(
  webhook: Pick<WebhookRecord, "id" | "auth" | "auth_secret_sealed">,
  keys: SecretKeys,
): Promise<EndpointAuth | null> {
  if (!webhook.auth || webhook.auth_secret_sealed === null) return null;
  return {
    ...webhook.auth,
    client_secret: await openClientSecret(webhook.auth_secret_sealed, webhook.id, keys),
  };
}

/** A webhook's client secret in the clear; never log or store it. */
export const openClientSecret = (sealed: string, webhookId: string, keys: SecretKeys) =>
  decryptSecret(sealed, boundTo(webhookId), keys);

/** Re-encrypts a sealed client secret under the current key (the cron's key rotation). */
export const resealClientSecret = (sealed: string, webhookId: string, keys: SecretKeys) =>
  resealSecret(sealed, boundTo(webhookId), keys);
