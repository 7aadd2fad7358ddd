// Failed deliveries of a webhook: list them, or recover them all since a time (sending one again
// is a delivery route, delivery/routes.ts).
import { createRoute } from "@hono/zod-openapi";
import { RETENTION_MS } from "../config";
import { createRouter, jsonBody, jsonResponse, problems } from "../http/openapi";
import { ApiError, invalidCursor, notFound } from "../http/problem";
import { webhookObject } from "../webhooks/object";
import { requireWebhook } from "../webhooks/require";
import { WebhookIdParam } from "../webhooks/schemas";
import { FailedDeliveryOut, FailedIdParam, FailedList, FailedQuery, RecoverIn, RecoverOut } from "./schemas";
import {
  decodeFailedCursor,
  getFailed,
  listFailed,
  markRecoveryQueued,
  markSuperseded,
  resendJobOf,
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
  const start = nowMs - RETENTION_MS;
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

failedRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}/failed/{failed_id}",
    summary: "One failed delivery, with the body sent and the receiver's last answer",
    operationId: "getFailedDelivery",
    tags,
    security,
    request: { params: FailedIdParam },
    responses: {
      200: jsonResponse(FailedDeliveryOut, "The failed delivery"),
      ...problems("unauthorized", "not_found"),
    },
  }),
  async (c) => {
    const { id, failed_id } = c.req.valid("param");
    const webhook = await requireWebhook(c.env, c.get("admin").account_id, id);
    const failed = await getFailed(c.env.DB, webhook.id, failed_id);
    if (!failed) throw notFound(`Failed delivery ${failed_id}`);
    return c.json(toFailedOut(failed), 200);
  },
);

failedRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/recover",
    summary: "Queue every failed delivery since a time again",
    operationId: "recoverFailedDeliveries",
    description:
      "Each keeps its webhook-id and gets a fresh retry schedule, in order with its entity's other changes. One older than a change of its entity delivered since is not sent (superseded). 409 until the webhook is active.",
    tags,
    security,
    request: { params: WebhookIdParam, body: jsonBody(RecoverIn) },
    responses: {
      202: jsonResponse(RecoverOut, "How many deliveries were queued"),
      ...problems("validation_failed", "unauthorized", "not_found", "conflict", "rate_limited"),
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
    // The webhook's object keeps them until they are sent, in order with the entity's other
    // changes; those older than a change of their entity delivered since are superseded.
    const { queued, superseded } = await webhookObject(c.env, webhook.id).recover(failed.map(resendJobOf));
    await Promise.all([
      queued.length > 0 ? markRecoveryQueued(c.env.DB, queued, new Date().toISOString()) : null,
      superseded.length > 0 ? markSuperseded(c.env.DB, webhook.id, superseded) : null,
    ]);
    return c.json({ queued: queued.length, superseded: superseded.length }, 202);
  },
);
