// The log of a webhook's 10 most recent requests (sending one again: delivery/routes.ts).
import { createRoute } from "@hono/zod-openapi";
import { createRouter, jsonResponse, problems } from "../http/openapi";
import { webhookObject } from "../webhooks/object";
import { requireWebhook } from "../webhooks/require";
import { WebhookIdParam } from "../webhooks/schemas";
import { LogList } from "./schemas";

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
