// The debugging aids: the test button, the log of the last 10 requests, and redelivery.
import { createRoute, z } from "@hono/zod-openapi";
import { attemptDelivery } from "../delivery/attempt";
import { redeliver } from "../delivery/redeliver";
import { targetOf } from "../delivery/targets";
import { JsonRecord } from "../http/json-depth";
import { createRouter, jsonBody, jsonResponse, problems } from "../http/openapi";
import { notFound } from "../http/problem";
import { newId } from "../ids";
import { requireWebhook } from "../webhooks/require";
import { WebhookIdParam } from "../webhooks/schemas";
import { requestLogOf } from "./durable-object";
import { LogEntry, LogList } from "./schemas";

export const requestLogRoutes = createRouter();
const security = [{ AdminToken: [] }];
const tags = ["Debugging"];

const TestIn = z
  .strictObject({
    result: JsonRecord.optional().openapi({
      description: "The admin's user record to send; default: the token's sub, email and name",
    }),
  })
  .openapi("TestRequest");

requestLogRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/test",
    summary: "Send a test request now",
    operationId: "testWebhook",
    description:
      'Sends one request with action_type "test" carrying the caller\'s user record, also to an inactive webhook. Answers 200 with its log entry whatever the receiver said.',
    tags,
    security,
    request: { params: WebhookIdParam, body: { ...jsonBody(TestIn), required: false } },
    responses: {
      200: jsonResponse(LogEntry, "The log entry of the test request"),
      ...problems("validation_failed", "unauthorized", "not_found", "unsupported_media_type", "rate_limited"),
    },
  }),
  async (c) => {
    const admin = c.get("admin");
    const webhook = await requireWebhook(c.env, admin.account_id, c.req.valid("param").id);
    const { sub, email, name } = admin;
    const result = c.req.valid("json").result ?? {
      sub,
      ...(email ? { email } : {}),
      ...(name ? { name } : {}),
    };
    const target = await targetOf(c.env, webhook, Date.now());
    const { entry } = await attemptDelivery(c.env, target, {
      kind: "test",
      messageId: newId("msg"),
      payload: { entity_id: sub, entity_type: "user", action_type: "test", result },
      attempt: 1,
    });
    return c.json(entry, 200);
  },
);

requestLogRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}/logs",
    summary: "The 10 most recent requests, newest first",
    operationId: "listWebhookLogs",
    tags,
    security,
    request: { params: WebhookIdParam },
    responses: { 200: jsonResponse(LogList, "The log"), ...problems("unauthorized", "not_found") },
  }),
  async (c) => {
    const webhook = await requireWebhook(c.env, c.get("admin").account_id, c.req.valid("param").id);
    return c.json({ data: await requestLogOf(c.env, webhook.id).list() }, 200);
  },
);

const LogParams = WebhookIdParam.extend({
  log_id: z.string().openapi({ param: { name: "log_id", in: "path" } }),
});

requestLogRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/logs/{log_id}/redeliver",
    summary: "Send a logged request again",
    operationId: "redeliverLogEntry",
    description: "Same body and webhook-id, fresh timestamp and signature. Also to an inactive webhook.",
    tags,
    security,
    request: { params: LogParams },
    responses: {
      200: jsonResponse(LogEntry, "The log entry of the new request"),
      ...problems("unauthorized", "not_found", "rate_limited"),
    },
  }),
  async (c) => {
    const { id, log_id } = c.req.valid("param");
    const webhook = await requireWebhook(c.env, c.get("admin").account_id, id);
    const logged = await requestLogOf(c.env, webhook.id).get(log_id);
    if (!logged) throw notFound(`Log entry ${log_id}`);
    const { entity_id, entity_type, action_type } = logged;
    const entry = await redeliver(c.env, webhook, {
      messageId: logged.message_id,
      payload: { entity_id, entity_type, action_type },
      body: logged.request.body,
    });
    return c.json(entry, 200);
  },
);
