// The signing key of a webhook: reveal it (the secret, or the public key of an Ed25519 webhook),
// rotate it (the old one keeps signing for 24 h).
import { createRoute } from "@hono/zod-openapi";
import { createRouter, jsonResponse, problems } from "../http/openapi";
import { applyToDeliveries, onFreshRead } from "./apply";
import { requireWebhook } from "./require";
import { RotatedSecret, SecretOut, WebhookIdParam } from "./schemas";
import { decryptSecret, secretKeysOf } from "./secrets";
import { shownKey, signingKeyOf, withNewSigningKey } from "./signing-keys";
import { saveSecrets, toWebhookOut } from "./storage";

const security = [{ AdminToken: [] }];
const tags = ["Webhooks"];

export const secretRoutes = createRouter();

secretRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}/secret",
    summary: "Reveal the signing secret (or public key)",
    operationId: "getWebhookSecret",
    description:
      "An hmac-sha256 webhook answers its secret; an ed25519 webhook its public key (its private key is never shown).",
    tags,
    security,
    request: { params: WebhookIdParam },
    responses: {
      200: jsonResponse(SecretOut, "The current signing secret, or public key"),
      ...problems("unauthorized", "not_found"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const record = await requireWebhook(c.env, c.get("admin").account_id, id);
    const key = signingKeyOf(await decryptSecret(record.secret_sealed, id, secretKeysOf(c.env)));
    return c.json(shownKey(key), 200);
  },
);

secretRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/secret/rotate",
    summary: "Rotate the signing secret (or key pair)",
    operationId: "rotateWebhookSecret",
    description:
      "A new key of the webhook's signature_scheme; the previous one keeps signing (as a second signature) for 24 hours.",
    tags,
    security,
    request: { params: WebhookIdParam },
    responses: {
      200: jsonResponse(RotatedSecret, "The webhook with its new secret, or public key"),
      ...problems("unauthorized", "not_found", "conflict", "rate_limited", "unavailable"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const { record, key, overlapEnds } = await onFreshRead(
      c.env,
      c.get("admin").account_id,
      id,
      async (existing) => {
        const keys = secretKeysOf(c.env);
        const rotated = await withNewSigningKey(existing, existing.signature_scheme, keys, Date.now());
        const saved = await saveSecrets(c.env.DB, rotated.record);
        return saved && { ...rotated, record: saved };
      },
    );
    // Answers once no delivery can start any more signed only with the old key.
    await applyToDeliveries(c.env, record);
    return c.json({ ...toWebhookOut(record), ...key, previous_secret_expires_at: overlapEnds }, 200);
  },
);
