// Failed deliveries of a webhook: list them, recover them all since a time, or send one again.
import { createRoute } from "@hono/zod-openapi";
import type { DeliveryJob } from "../delivery/job";
import type { DeliveryMessage } from "../delivery/outcomes";
import { sendAll } from "../delivery/queue-batches";
import { redeliver } from "../delivery/redeliver";
import { createRouter, jsonBody, jsonResponse, problems } from "../http/openapi";
import { ApiError, invalidCursor, notFound } from "../http/problem";
import { LogEntry } from "../request-log/schemas";
import { requireWebhook } from "../webhooks/require";
import { WebhookIdParam } from "../webhooks/schemas";
import { FailedIdParam, FailedList, FailedQuery, RETENTION_DAYS, RecoverIn, RecoverOut } from "./schemas";
import {
  decodeFailedCursor,
  type FailedRecord,
  getFailed,
  listFailed,
  markRecoveryQueued,
  toFailedOut,
  unrecoveredSince,
} from "./storage";

export const failedRoutes = createRouter();
const security = [{ AdminToken: [] }];
const tags = ["Failed deliveries"];

/**
 * `since` as the time to query by. Times are compared as numbers and clamped to the retention
 * window: an ISO string of a year past 9999 ("+010000-…") would sort before "2026-…" in SQL.
 */
export function sinceTime(since: string | undefined, nowMs: number): string {
  const start = nowMs - RETENTION_DAYS * 24 * 3600 * 1000;
  const ms = since === undefined ? start : Date.parse(since);
  return new Date(Number.isFinite(ms) ? Math.min(Math.max(ms, start), nowMs) : start).toISOString();
}

failedRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}/failed",
    summary: "Deliveries that failed for good (kept 30 days), newest first",
    operationId: "listFailedDeliveries",
    tags,
    security,
    request: { params: WebhookIdParam, query: FailedQuery },
    responses: {
      200: jsonResponse(FailedList, "A page of failed deliveries"),
      ...problems("validation_failed", "unauthorized", "not_found"),
    },
  }),
  async (c) => {
    const { since, limit, cursor } = c.req.valid("query");
    const webhook = await requireWebhook(c.env, c.get("admin").account_id, c.req.valid("param").id);
    const before = cursor === undefined ? undefined : decodeFailedCursor(cursor);
    if (before === null) throw invalidCursor();
    const page = await listFailed(c.env.DB, webhook.id, {
      since: sinceTime(since, Date.now()),
      limit,
      before,
    });
    return c.json({ data: page.records.map(toFailedOut), next_cursor: page.nextCursor }, 200);
  },
);

const recoveryJob = (failed: FailedRecord): DeliveryJob => ({
  webhook_id: failed.webhook_id,
  account_id: failed.account_id,
  change_id: failed.change_id,
  message_id: failed.message_id,
  payload: failed.payload,
  attempt: 1,
  first_attempt_at: null,
  failed_id: failed.id,
});

failedRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/recover",
    summary: "Queue every failed delivery since a time again",
    operationId: "recoverFailedDeliveries",
    description:
      "Each keeps its webhook-id and gets a fresh retry schedule. 409 until the webhook is active.",
    tags,
    security,
    request: { params: WebhookIdParam, body: jsonBody(RecoverIn) },
    responses: {
      202: jsonResponse(RecoverOut, "How many deliveries were queued"),
      ...problems(
        "validation_failed",
        "unauthorized",
        "not_found",
        "conflict",
        "rate_limited",
        "queue_unavailable",
      ),
    },
  }),
  async (c) => {
    const webhook = await requireWebhook(c.env, c.get("admin").account_id, c.req.valid("param").id);
    if (!webhook.is_active) {
      throw new ApiError(
        "conflict",
        "The webhook is not active. Activate it first (PATCH is_active: true), then recover.",
      );
    }
    const since = sinceTime(c.req.valid("json").since, Date.now());
    const failed = await unrecoveredSince(c.env.DB, webhook.id, since);
    const messages = failed.map((f) => ({
      id: f.id,
      body: { type: "delivery", job: recoveryJob(f) } satisfies DeliveryMessage,
    }));
    const unsent = new Set(await sendAll(c.env.DELIVERIES, messages));
    const queued = messages.filter((m) => !unsent.has(m));
    if (queued.length > 0)
      await markRecoveryQueued(
        c.env.DB,
        queued.map((m) => m.id),
        new Date().toISOString(),
      );
    if (unsent.size > 0) {
      throw new ApiError(
        "queue_unavailable",
        `${queued.length} of ${messages.length} failed deliveries were queued; recover again for the rest.`,
      );
    }
    return c.json({ queued: queued.length }, 202);
  },
);

failedRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/failed/{failed_id}/redeliver",
    summary: "Send one failed delivery again now",
    operationId: "redeliverFailedDelivery",
    description: "Same body and webhook-id, fresh timestamp and signature; answers with the new log entry.",
    tags,
    security,
    request: { params: FailedIdParam },
    responses: {
      200: jsonResponse(LogEntry, "The log entry of the new request"),
      ...problems("unauthorized", "not_found", "rate_limited"),
    },
  }),
  async (c) => {
    const { id, failed_id } = c.req.valid("param");
    const webhook = await requireWebhook(c.env, c.get("admin").account_id, id);
    const failed = await getFailed(c.env.DB, webhook.id, failed_id);
    if (!failed) throw notFound(`Failed delivery ${failed_id}`);
    const entry = await redeliver(c.env, webhook, { messageId: failed.message_id, payload: failed.payload });
    return c.json(entry, 200);
  },
);
