// Admin API for webhooks: list, create, get, patch, delete (the secret: ./secret-routes.ts).
import { createRoute } from "@hono/zod-openapi";
import { createRouter, jsonBody, jsonResponse, problems } from "../http/openapi";
import { invalidCursor, notFound } from "../http/problem";
import { newId } from "../ids";
import { requestLogOf } from "../request-log/durable-object";
import { applyPatch } from "./patch";
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
import { encryptSecret, newSigningSecret, secretKeysOf } from "./secrets";
import { deleteWebhook, insertWebhook, listWebhooks, saveWebhook, toWebhookOut } from "./storage";
import { urlPolicyErrors } from "./url-errors";

const security = [{ AdminToken: [] }];
const tags = ["Webhooks"];

// The URL policy depends on the environment: checked beside the schema, its error comes with theirs.
export const webhooks = createRouter(urlPolicyErrors);

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
    tags,
    security,
    request: { body: jsonBody(WebhookIn) },
    responses: {
      201: jsonResponse(WebhookWithSecret, "The webhook, with its signing secret"),
      ...problems(
        "validation_failed",
        "unauthorized",
        "payload_too_large",
        "unsupported_media_type",
        "rate_limited",
      ),
    },
  }),
  async (c) => {
    const input = c.req.valid("json");
    const now = new Date().toISOString();
    const id = newId("wh");
    const secret = newSigningSecret();
    const record = {
      ...input,
      id,
      account_id: c.get("admin").account_id,
      created_at: now,
      updated_at: now,
      disabled_reason: null,
      last_delivery_at: null,
      last_status: null,
      consecutive_failures: 0,
      failing_since: null,
      failed_deliveries: 0,
      secret_sealed: await encryptSecret(secret, id, secretKeysOf(c.env)),
      previous_secret_sealed: null,
      previous_secret_expires_at: null,
    };
    await insertWebhook(c.env.DB, record);
    c.header("location", `/v1/webhooks/${id}`);
    return c.json({ ...toWebhookOut(record), secret }, 201);
  },
);

webhooks.openapi(
  createRoute({
    method: "get",
    path: "/{id}",
    summary: "Get a webhook",
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

webhooks.openapi(
  createRoute({
    method: "patch",
    path: "/{id}",
    summary: "Change a webhook",
    description: "Setting is_active to true re-activates a disabled webhook and clears disabled_reason.",
    tags,
    security,
    request: { params: WebhookIdParam, body: jsonBody(WebhookPatch) },
    responses: {
      200: jsonResponse(WebhookOut, "The changed webhook"),
      ...problems(
        "validation_failed",
        "unauthorized",
        "not_found",
        "payload_too_large",
        "unsupported_media_type",
        "rate_limited",
      ),
    },
  }),
  async (c) => {
    const patch = c.req.valid("json");
    const existing = await requireWebhook(c.env, c.get("admin").account_id, c.req.valid("param").id);
    const record = applyPatch(existing, patch, new Date().toISOString());
    await saveWebhook(c.env.DB, record);
    return c.json(toWebhookOut(record), 200);
  },
);

webhooks.openapi(
  createRoute({
    method: "delete",
    path: "/{id}",
    summary: "Delete a webhook, its pending deliveries and its log",
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
    // The log goes first: should deleting the row fail afterwards, a retried DELETE still works.
    await requestLogOf(c.env, id).clear();
    if (!(await deleteWebhook(c.env.DB, accountId, id))) throw notFound(`Webhook ${id}`);
    return c.body(null, 204);
  },
);
