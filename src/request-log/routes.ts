// The log of a webhook's 10 most recent requests (sending one again: delivery/routes.ts), and its
// activity over the last day or week, counted from every request it logs.
import { createRoute } from "@hono/zod-openapi";
import { createRouter, jsonResponse, problems } from "../http/openapi";
import { webhookObject } from "../webhooks/object";
import { requireWebhook } from "../webhooks/require";
import { WebhookIdParam } from "../webhooks/schemas";
import { Activity, ActivityQuery, LogList } from "./schemas";

export const requestLogRoutes = createRouter();

requestLogRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}/logs",
    summary: "The 10 most recent requests, newest first",
    operationId: "listWebhookLogs",
    tags: ["Debugging"],
    security: [{ AdminToken: [] }],
    request: { params: WebhookIdParam },
    responses: { 200: jsonResponse(LogList, "The log"), ...problems("unauthorized", "not_found") },
  }),
  async (c) => {
    const webhook = await requireWebhook(c.env, c.get("admin").account_id, c.req.valid("param").id);
    return c.json({ data: await webhookObject(c.env, webhook.id).list() }, 200);
  },
);

requestLogRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}/stats",
    summary: "Requests that succeeded and failed, and their median duration, over 24 hours or 7 days",
    description:
      "Every request counts (deliveries, retries, tests, redeliveries). Buckets oldest first, every one present.",
    operationId: "getWebhookActivity",
    tags: ["Debugging"],
    security: [{ AdminToken: [] }],
    request: { params: WebhookIdParam, query: ActivityQuery },
    responses: {
      200: jsonResponse(Activity, "The activity"),
      ...problems("validation_failed", "unauthorized", "not_found"),
    },
  }),
  async (c) => {
    const webhook = await requireWebhook(c.env, c.get("admin").account_id, c.req.valid("param").id);
    const { window } = c.req.valid("query");
    return c.json({ window, buckets: await webhookObject(c.env, webhook.id).activity(window) }, 200);
  },
);
