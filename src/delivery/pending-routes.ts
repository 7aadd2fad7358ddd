// What waits for a webhook right now, answered by its Durable Object (it holds all of it), and
// "Retry now": every delivery waiting for a retry becomes due at once.
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter, jsonResponse, pageQuery, problems } from "../http/openapi";
import { ApiError, invalidCursor } from "../http/problem";
import { webhookObject } from "../webhooks/object";
import { requireWebhook } from "../webhooks/require";
import { WebhookIdParam } from "../webhooks/schemas";
import { ACTION_TYPES, ENTITY_TYPES } from "../webhooks/triggers";
import type { PendingItem } from "./pending";

export const pendingRoutes = createRouter();
const security = [{ AdminToken: [] }];
const tags = ["Pending deliveries"];

const PendingDelivery = z
  .object({
    message_id: z.string().openapi({ description: "The webhook-id" }),
    entity_type: z.enum([...ENTITY_TYPES, "webhook"]),
    entity_id: z.union([z.string(), z.number()]),
    action_type: z.enum([...ACTION_TYPES, "failing", "disabled", "recovered"]),
    created_at: z.string().openapi({ description: "When the change was accepted" }),
    state: z.enum(["retry", "held", "paced", "out"]).openapi({
      description:
        "retry: an attempt failed (or a recovered failed delivery waits), the next one is scheduled; held: behind an earlier change of its entity (held_behind); paced: waiting for its turn (max_per_second, or the service's own pace); out: an attempt is in flight",
    }),
    attempt: z
      .number()
      .int()
      .openapi({ description: "The attempt it waits to make, or is making (1: never attempted)" }),
    next_attempt_at: z
      .string()
      .nullable()
      .openapi({ description: "When it may go next; null while held or out" }),
    last_status: z.number().int().nullable(),
    last_error: z.string().nullable(),
    held_behind: z
      .string()
      .nullable()
      .openapi({ description: "The webhook-id of the change it waits for (held only)" }),
  })
  .openapi("PendingDelivery");

const PendingList = z
  .object({ data: z.array(PendingDelivery), next_cursor: z.string().nullable() })
  .openapi("PendingDeliveryList");

const RetryDue = z
  .object({
    due: z.number().int().openapi({ description: "Deliveries waiting for a retry that are due now" }),
  })
  .openapi("PendingRetried");

const encodeCursor = (at: { seq: number; messageId: string }) =>
  btoa(`${at.seq}|${at.messageId}`).replace(/=+$/, "");
function decodeCursor(cursor: string): { seq: number; messageId: string } {
  try {
    const [seq, messageId] = atob(cursor).split("|");
    if (seq && /^\d+$/.test(seq) && messageId?.startsWith("msg_")) return { seq: Number(seq), messageId };
  } catch {}
  throw invalidCursor();
}

/** An item as listed (tests never wait, so a pending delivery's action is never "test"). */
const listed = ({ seq, action_type, ...item }: PendingItem) => ({
  ...item,
  action_type: action_type as Exclude<PendingItem["action_type"], "test">,
});

pendingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}/pending",
    summary: "Deliveries that wait or are out right now, oldest first",
    operationId: "listPendingDeliveries",
    tags,
    security,
    request: { params: WebhookIdParam, query: pageQuery(50) },
    responses: {
      200: jsonResponse(PendingList, "A page of pending deliveries"),
      ...problems("validation_failed", "unauthorized", "not_found"),
    },
  }),
  async (c) => {
    const webhook = await requireWebhook(c.env, c.get("admin").account_id, c.req.valid("param").id);
    const { limit, cursor } = c.req.valid("query");
    const after = cursor === undefined ? null : decodeCursor(cursor);
    const page = await webhookObject(c.env, webhook.id).pending(limit, after);
    return c.json(
      { data: page.items.map(listed), next_cursor: page.next ? encodeCursor(page.next) : null },
      200,
    );
  },
);

pendingRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/pending/retry",
    summary: "Retry now: every delivery waiting for a retry becomes due at once",
    description:
      "Held deliveries still go after the earlier change of their entity, paced ones at their pace. 409 while the webhook is not active.",
    operationId: "retryPendingDeliveries",
    tags,
    security,
    request: { params: WebhookIdParam },
    responses: {
      202: jsonResponse(RetryDue, "How many became due"),
      ...problems("unauthorized", "not_found", "conflict", "rate_limited"),
    },
  }),
  async (c) => {
    const webhook = await requireWebhook(c.env, c.get("admin").account_id, c.req.valid("param").id);
    if (!webhook.is_active) {
      throw new ApiError(
        "conflict",
        "The webhook is not active, so nothing waits for a retry. Activate it first (PATCH is_active: true).",
      );
    }
    return c.json({ due: await webhookObject(c.env, webhook.id).retryNow() }, 202);
  },
);
