// The events catalog: origin services sync it (ingest token), admins search it (admin token).
import { createRoute } from "@hono/zod-openapi";
import { createRouter, jsonBody, jsonResponse, problems } from "../http/openapi";
import { invalidCursor } from "../http/problem";
import { requireWithinLimit } from "../http/rate-limit";
import { EventBatchIn, EventList, EventPathParams, EventQuery, EventsUpserted } from "./schemas";
import { decodeEventCursor, deleteEvent, listEvents, upsertEvents } from "./storage";

export const events = createRouter();
const tags = ["Events"];

events.openapi(
  createRoute({
    method: "put",
    path: "/",
    operationId: "upsertEvents",
    summary: "Create or replace events (Veranstaltungen) of an account's catalog",
    description: "Upsert by id, up to 100 per request. A request with one invalid event writes none of them.",
    tags,
    security: [{ IngestToken: [] }],
    request: { body: jsonBody(EventBatchIn) },
    responses: {
      200: jsonResponse(EventsUpserted, "Every event was written"),
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
    const { account_id, events: batch } = c.req.valid("json");
    await requireWithinLimit(c.env.INGEST_LIMITER, [account_id]);
    await upsertEvents(c.env.DB, account_id, batch, new Date().toISOString());
    return c.json({ upserted: batch.length }, 200);
  },
);

events.openapi(
  createRoute({
    method: "delete",
    path: "/{account_id}/{event_id}",
    operationId: "deleteEvent",
    summary: "Remove an event from an account's catalog",
    description: "Answers 204 whether or not the event was in the catalog. Webhooks naming it keep its id.",
    tags,
    security: [{ IngestToken: [] }],
    request: { params: EventPathParams },
    responses: {
      204: { description: "The event is not in the catalog (any more)" },
      ...problems("validation_failed", "unauthorized", "rate_limited"),
    },
  }),
  async (c) => {
    const { account_id, event_id } = c.req.valid("param");
    await requireWithinLimit(c.env.INGEST_LIMITER, [account_id]);
    await deleteEvent(c.env.DB, account_id, event_id);
    return c.body(null, 204);
  },
);

events.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "listEvents",
    summary: "Search the account's events by id or name",
    description: "In name order (case-insensitive); `query` matches part of the id or the name.",
    tags,
    security: [{ AdminToken: [] }],
    request: { query: EventQuery },
    responses: {
      200: jsonResponse(EventList, "A page of events"),
      ...problems("validation_failed", "unauthorized"),
    },
  }),
  async (c) => {
    const { query, limit, cursor } = c.req.valid("query");
    const after = cursor === undefined ? null : decodeEventCursor(cursor);
    if (after === null && cursor !== undefined) throw invalidCursor();
    const page = await listEvents(c.env.DB, c.get("admin").account_id, { query: query ?? "", limit, after });
    return c.json({ data: page.events, next_cursor: page.nextCursor }, 200);
  },
);
