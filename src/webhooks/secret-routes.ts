// The signing secret of a webhook: reveal it, rotate it (the old one keeps signing for 24 h).
import { createRoute } from "@hono/zod-openapi";
import { createRouter, jsonResponse, problems } from "../http/openapi";
import { applyToDeliveries, changedMeanwhile, SAVE_TRIES } from "./apply";
import { requireWebhook } from "./require";
import { RotatedSecret, SecretOut, WebhookIdParam } from "./schemas";
import { decryptSecret, encryptSecret, newSigningSecret, secretKeysOf } from "./secrets";
import { saveSecrets, toWebhookOut, type WebhookRecord } from "./storage";

export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

const security = [{ AdminToken: [] }];
const tags = ["Webhooks"];

export const secretRoutes = createRouter();

secretRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}/secret",
    summary: "Reveal the signing secret",
    operationId: "getWebhookSecret",
    tags,
    security,
    request: { params: WebhookIdParam },
    responses: {
      200: jsonResponse(SecretOut, "The current signing secret"),
      ...problems("unauthorized", "not_found"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const record = await requireWebhook(c.env, c.get("admin").account_id, id);
    return c.json({ secret: await decryptSecret(record.secret_sealed, id, secretKeysOf(c.env)) }, 200);
  },
);

secretRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/secret/rotate",
    summary: "Rotate the signing secret",
    operationId: "rotateWebhookSecret",
    description: "The previous secret keeps signing (as a second signature) for 24 hours.",
    tags,
    security,
    request: { params: WebhookIdParam },
    responses: {
      200: jsonResponse(RotatedSecret, "The webhook with its new secret"),
      ...problems("unauthorized", "not_found", "conflict", "rate_limited", "unavailable"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const secret = newSigningSecret();
    const sealed = await encryptSecret(secret, id, secretKeysOf(c.env));
    let record: (WebhookRecord & { previous_secret_expires_at: string }) | null = null;
    for (let tries = 1; !record; tries++) {
      const existing = await requireWebhook(c.env, c.get("admin").account_id, id);
      const now = Date.now();
      const rotated = {
        ...existing,
        secret_sealed: sealed,
        previous_secret_sealed: existing.secret_sealed,
        previous_secret_expires_at: new Date(now + SECRET_OVERLAP_MS).toISOString(),
        updated_at: new Date(now).toISOString(),
      };
      if (await saveSecrets(c.env.DB, rotated))
        record = { ...rotated, config_version: existing.config_version + 1 };
      else if (tries >= SAVE_TRIES) throw changedMeanwhile();
    }
    // Answers once no delivery can start any more signed only with the old secret.
    await applyToDeliveries(c.env, record);
    return c.json(
      { ...toWebhookOut(record), secret, previous_secret_expires_at: record.previous_secret_expires_at },
      200,
    );
  },
);
