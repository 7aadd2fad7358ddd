// Admin API for webhooks: list, create, get, patch, delete (the secret: ./secret-routes.ts).
import { createRoute } from "@hono/zod-openapi";
import { configOf } from "../config";
import { createRouter, jsonBody, jsonResponse, problems } from "../http/openapi";
import { ApiError, invalidCursor, notFound, validationError } from "../http/problem";
import { applyToDeliveries, onFreshRead } from "./apply";
import { newWebhook } from "./new-webhook";
import { webhookObject } from "./object";
import { authorizationClash, patchWebhook } from "./patch";
import { requireWebhook } from "./require";
import {
  ListQuery,
  WebhookIdParam,
  WebhookIn,
  WebhookList,
  WebhookOut,
  WebhookPatch,
  WebhookWithSecret,
} from "./schemas";
import { secretKeysOf } from "./secrets";
import { deleteWebhook, insertWebhook, listWebhooks, saveWebhook, toWebhookOut } from "./storage";
import { urlPolicyErrors } from "./url-errors";

const security = [{ AdminToken: [] }];
const tags = ["Webhooks"];

// The URL policy depends on the environment: checked beside the schema, its error comes with theirs.
export const webhooks = createRouter(urlPolicyErrors);

const tooManyWebhooks = (max: number) =>
  new ApiError(
    "conflict",
    `The account has ${max} webhooks, the most it may have. Delete one to create another.`,
  );

const encodeCursor = (id: string) => btoa(id).replace(/=+$/, "");
function decodeCursor(cursor: string): string {
  try {
    const id = atob(cursor);
    if (/^wh_[0-9A-Z]{26}$/.test(id)) return id;
  } catch {}
  throw invalidCursor();
}

webhooks.openapi(
  createRoute({
    method: "get",
    path: "/",
    summary: "List the account's webhooks",
    operationId: "listWebhooks",
    tags,
    security,
    request: { query: ListQuery },
    responses: {
      200: jsonResponse(WebhookList, "A page of webhooks, oldest first"),
      ...problems("validation_failed", "unauthorized"),
    },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const { records, hasMore } = await listWebhooks(c.env.DB, c.get("admin").account_id, { limit, after });
    const last = records.at(-1);
    return c.json(
      { data: records.map(toWebhookOut), next_cursor: hasMore && last ? encodeCursor(last.id) : null },
      200,
    );
  },
);

webhooks.openapi(
  createRoute({
    method: "post",
    path: "/",
    summary: "Create a webhook",
    operationId: "createWebhook",
    description: "At most MAX_WEBHOOKS_PER_ACCOUNT (default 100) per account; one more is a 409.",
    tags,
    security,
    request: { body: jsonBody(WebhookIn) },
    responses: {
      201: jsonResponse(WebhookWithSecret, "The webhook, with its signing secret"),
      ...problems(
        "validation_failed",
        "unauthorized",
        "conflict",
        "payload_too_large",
        "unsupported_media_type",
        "rate_limited",
      ),
    },
  }),
  async (c) => {
    const input = c.req.valid("json");
    const accountId = c.get("admin").account_id;
    const clash = authorizationClash(input.headers ?? {}, input.auth);
    if (clash.length > 0) throw validationError(clash);
    const { record, key, headers, auth } = await newWebhook(
      input,
      accountId,
      secretKeysOf(c.env),
      new Date().toISOString(),
    );
    const { maxWebhooksPerAccount } = configOf(c.env);
    if (!(await insertWebhook(c.env.DB, record, maxWebhooksPerAccount))) {
      throw tooManyWebhooks(maxWebhooksPerAccount);
    }
    c.header("location", `/v1/webhooks/${record.id}`);
    return c.json({ ...toWebhookOut(record), headers, auth, ...key }, 201);
  },
);

webhooks.openapi(
  createRoute({
    method: "get",
    path: "/{id}",
    summary: "Get a webhook",
    operationId: "getWebhook",
    tags,
    security,
    request: { params: WebhookIdParam },
    responses: { 200: jsonResponse(WebhookOut, "The webhook"), ...problems("unauthorized", "not_found") },
  }),
  async (c) => {
    const record = await requireWebhook(c.env, c.get("admin").account_id, c.req.valid("param").id);
    return c.json(toWebhookOut(record), 200);
  },
);

/**
 * Applies a PATCH to the webhook as stored now and saves it if that changed anything; answers the
 * webhook and its credentials in full. Another change saved in between makes it start over on a
 * fresh read.
 */
function savePatch(env: Env, accountId: string, id: string, patch: WebhookPatch) {
  return onFreshRead(env, accountId, id, async (existing) => {
    const patched = await patchWebhook(existing, patch, secretKeysOf(env), Date.now());
    const { record, changedAny, changed, headers, auth } = patched;
    if (!changedAny) return { record: existing, headers, auth };
    const saved = await saveWebhook(env.DB, record, changed);
    return saved && { record: saved, headers, auth };
  });
}

webhooks.openapi(
  createRoute({
    method: "patch",
    path: "/{id}",
    summary: "Change a webhook",
    operationId: "updateWebhook",
    description:
      "Setting is_active to true re-activates a disabled webhook and clears disabled_reason. headers replaces the whole set (null or {} removes them). auth replaces the endpoint authentication (null removes it); its client_secret may be left out to keep the stored one while token_url and client_id stay the same. Another signature_scheme creates a key of that scheme (GET …/secret shows it); the previous key keeps signing for 24 hours. The answer shows header values and client_secret in full.",
    tags,
    security,
    request: { params: WebhookIdParam, body: jsonBody(WebhookPatch) },
    responses: {
      200: jsonResponse(WebhookOut, "The changed webhook"),
      ...problems(
        "validation_failed",
        "unauthorized",
        "not_found",
        "conflict",
        "payload_too_large",
        "unsupported_media_type",
        "rate_limited",
        "unavailable",
      ),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const { record, headers, auth } = await savePatch(
      c.env,
      c.get("admin").account_id,
      id,
      c.req.valid("json"),
    );
    // Told even when nothing changed: a PATCH sent again after a 503 tells what the first one saved.
    await applyToDeliveries(c.env, record);
    // The PATCH answer shows the credentials in full, whether this PATCH set them or not.
    return c.json({ ...toWebhookOut(record), headers, auth }, 200);
  },
);

webhooks.openapi(
  createRoute({
    method: "delete",
    path: "/{id}",
    summary: "Delete a webhook, its pending deliveries and its log",
    operationId: "deleteWebhook",
    tags,
    security,
    request: { params: WebhookIdParam },
    responses: {
      204: { description: "Deleted" },
      ...problems("unauthorized", "not_found", "rate_limited"),
    },
  }),
  async (c) => {
    const accountId = c.get("admin").account_id;
    const { id } = c.req.valid("param");
    await requireWebhook(c.env, accountId, id);
    // Its object (waiting deliveries, log) goes first, and answers once no delivery can start any
    // more: should deleting the row fail afterwards, a retried DELETE still works.
    await webhookObject(c.env, id).clear();
    if (!(await deleteWebhook(c.env.DB, accountId, id))) throw notFound(`Webhook ${id}`);
    return c.body(null, 204);
  },
);
