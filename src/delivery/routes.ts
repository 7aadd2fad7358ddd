// The debugging aids that send: the test button, sending a logged request again, and sending a
// failed delivery again. Each answers with the log entry of the request it made.
import { createRoute, z } from "@hono/zod-openapi";
import { FailedIdParam } from "../failed/schemas";
import { getFailed, markSuperseded, resendJobOf } from "../failed/storage";
import { JsonRecord } from "../http/json-depth";
import { createRouter, jsonBody, jsonResponse, problems } from "../http/openapi";
import { ApiError, notFound } from "../http/problem";
import { optionalJsonBody } from "../http/utf8-json";
import { newId } from "../ids";
import { LogEntry } from "../request-log/schemas";
import { webhookObject } from "../webhooks/object";
import { requireWebhook } from "../webhooks/require";
import { WebhookIdParam } from "../webhooks/schemas";
import { type ManualResult, sendManually } from "./manual";

export const deliveryRoutes = createRouter();
const security = [{ AdminToken: [] }];

/** The log entry of a manual request that was sent; anything else is a problem (404 when the webhook went meanwhile). */
function sentEntry(result: ManualResult, webhookId: string) {
  if (result.kind === "sent") return result.entry;
  if (result.kind === "gone") throw notFound(`Webhook ${webhookId}`);
  throw new ApiError("conflict", `The request could not be sent (${result.kind}).`);
}

const TestIn = z
  .strictObject({
    result: JsonRecord.optional().openapi({
      description: "The admin's user record to send; default: the token's sub, email and name",
    }),
  })
  .openapi("TestRequest");

deliveryRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/test",
    summary: "Send a test request now",
    operationId: "testWebhook",
    description:
      'Sends one request with action_type "test" carrying the caller\'s user record, also to an inactive webhook. Answers 200 with its log entry whatever the receiver said.',
    tags: ["Debugging"],
    security,
    request: { params: WebhookIdParam, body: { ...jsonBody(TestIn), required: false } },
    middleware: [optionalJsonBody()] as const,
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
    const sent = await sendManually(c.env, webhook, {
      kind: "test",
      messageId: newId("msg"),
      payload: { entity_id: sub, entity_type: "user", action_type: "test", result },
    });
    return c.json(sentEntry(sent, webhook.id), 200);
  },
);

const LogParams = WebhookIdParam.extend({
  log_id: z.string().openapi({ param: { name: "log_id", in: "path" } }),
});

deliveryRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/logs/{log_id}/redeliver",
    summary: "Send a logged request again",
    operationId: "redeliverLogEntry",
    description:
      "Same body and webhook-id, fresh timestamp and signature. Also to an inactive webhook, and whatever was delivered since: an admin's explicit choice.",
    tags: ["Debugging"],
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
    const logged = await webhookObject(c.env, webhook.id).get(log_id);
    if (!logged) throw notFound(`Log entry ${log_id}`);
    const { entity_id, entity_type, action_type } = logged;
    const sent = await sendManually(c.env, webhook, {
      kind: "redelivery",
      messageId: logged.message_id,
      payload: { entity_id, entity_type, action_type },
      body: logged.request.body,
    });
    return c.json(sentEntry(sent, webhook.id), 200);
  },
);

deliveryRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/failed/{failed_id}/redeliver",
    summary: "Send one failed delivery again now",
    operationId: "redeliverFailedDelivery",
    description:
      "Same body and webhook-id, fresh timestamp and signature; answers with the new log entry, and marks the failed delivery recovered once the receiver answers 2xx. A delivery whose turn has passed — a newer change of its entity was delivered to the webhook, is out or waits — is not sent: 409 (type …/superseded), and it is recorded as superseded. 409 (conflict) while this delivery or an earlier change of its entity is on its way.",
    tags: ["Failed deliveries"],
    security,
    request: { params: FailedIdParam },
    responses: {
      200: jsonResponse(LogEntry, "The log entry of the new request"),
      ...problems("unauthorized", "not_found", "superseded", "conflict", "rate_limited"),
    },
  }),
  async (c) => {
    const { id, failed_id } = c.req.valid("param");
    const webhook = await requireWebhook(c.env, c.get("admin").account_id, id);
    const failed = await getFailed(c.env.DB, webhook.id, failed_id);
    if (!failed) throw notFound(`Failed delivery ${failed_id}`);
    const { entity_type, entity_id } = failed.payload;
    const sent = await sendManually(c.env, webhook, {
      kind: "redelivery",
      messageId: failed.message_id,
      payload: failed.payload,
      resend: resendJobOf(failed),
    });
    if (sent.kind === "superseded") {
      await markSuperseded(c.env.DB, webhook.id, [failed.id]);
      throw new ApiError(
        "superseded",
        `A newer change of ${entity_type} ${entity_id} was delivered to this webhook since, or is on its way; this older one is not sent again (recorded as superseded).`,
      );
    }
    if (sent.kind === "busy") {
      throw new ApiError(
        "conflict",
        `This delivery, or an earlier change of ${entity_type} ${entity_id}, is on its way to the webhook right now; it keeps the order of the record's changes. Look at the pending deliveries, and redeliver once it has gone out if it still fails.`,
      );
    }
    return c.json(sentEntry(sent, webhook.id), 200);
  },
);
