// The events catalog's request and answer shapes: what origin services sync and admins search.
import { z } from "@hono/zod-openapi";
import { withCode } from "../http/field-errors";
import { pageQuery } from "../http/openapi";
import { noControlCharacters } from "../http/plain-text";
import { EventId } from "../webhooks/schemas";

const MAX_EVENTS_PER_REQUEST = 100;
/** 100 events of the longest id and name, escaped, fit with room to spare. */
export const MAX_EVENTS_BODY_BYTES = 256 * 1024;

const AccountId = z.string().min(1).max(200).openapi({ example: "acme" });

const CatalogEventId = EventId.refine(...noControlCharacters);

const EventName = z
  .string()
  .trim()
  .min(1, "Must not be empty")
  .max(200, "Must be at most 200 characters")
  .refine(...noControlCharacters)
  .openapi({ description: "What admins see and search", example: "Messe 2026" });

const StartsAt = z.iso
  .datetime({ offset: true, message: "Must be an ISO 8601 date-time, e.g. 2026-03-01T09:00:00Z" })
  .nullable()
  .optional()
  .openapi({ description: "When the event starts; stored in UTC", example: "2026-03-01T09:00:00Z" });

export const EventIn = z
  .strictObject({ id: CatalogEventId, name: EventName, starts_at: StartsAt })
  .openapi("EventIn");

export const EventBatchIn = z
  .strictObject({
    account_id: AccountId,
    events: z
      .array(EventIn)
      .min(1, "Send at least one event")
      .max(MAX_EVENTS_PER_REQUEST, `At most ${MAX_EVENTS_PER_REQUEST} events per request`),
  })
  .superRefine(({ events }, ctx) => {
    const seen = new Set<string>();
    events.forEach((event, index) => {
      if (seen.has(event.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["events", index, "id"],
          ...withCode("duplicate", "Listed twice in this request"),
        });
      }
      seen.add(event.id);
    });
  })
  .openapi("EventBatch");

export const EventsUpserted = z
  .object({ upserted: z.number().int().openapi({ description: "Events created or replaced" }) })
  .openapi("EventsUpserted");

export const EventOut = z
  .object({
    id: z.string().openapi({ example: "ev_2026_fair" }),
    name: z.string().openapi({ example: "Messe 2026" }),
    starts_at: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("Event");

export const EventList = z
  .object({ data: z.array(EventOut), next_cursor: z.string().nullable() })
  .openapi("EventList");

export const EventQuery = pageQuery(20).extend({
  query: z
    .string()
    .trim()
    .max(200, "Must be at most 200 characters")
    .refine(...noControlCharacters)
    .optional()
    .openapi({
      param: { name: "query", in: "query" },
      description: "Part of an event's id or name, in any case",
      example: "messe",
    }),
});

export const EventPathParams = z.object({
  account_id: AccountId.openapi({ param: { name: "account_id", in: "path" } }),
  event_id: CatalogEventId.openapi({ param: { name: "event_id", in: "path" }, example: "ev_2026_fair" }),
});

export type EventIn = z.infer<typeof EventIn>;
export type EventOut = z.infer<typeof EventOut>;
