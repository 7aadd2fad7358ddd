import { z } from "@hono/zod-openapi";
import { pageQuery } from "../http/openapi";
import { ACTION_TYPES, ENTITY_TYPES } from "../webhooks/triggers";

/** Why a delivery failed for good. */
export const FailReason = z.enum([
  "exhausted",
  "gone",
  "disabled",
  "deactivated",
  "superseded",
  "unprocessable",
]);
export type FailReason = z.infer<typeof FailReason>;

export const FailedDeliveryOut = z
  .object({
    id: z.string().openapi({ example: "fd_01JD8X3Q6R4M2K9T7V5B1C0N8P" }),
    message_id: z.string().openapi({ description: "The webhook-id every re-send keeps" }),
    change_id: z.string(),
    action_type: z.enum([...ACTION_TYPES, "failing", "disabled", "recovered"]),
    entity_type: z.enum([...ENTITY_TYPES, "webhook"]),
    entity_id: z.union([z.string(), z.number()]),
    body: z.string().openapi({ description: "The exact request body" }),
    payload: z
      .object({
        entity_id: z.union([z.string(), z.number()]),
        entity_type: z.enum([...ENTITY_TYPES, "webhook"]),
        action_type: z.enum([...ACTION_TYPES, "failing", "disabled", "recovered"]),
        result: z.record(z.string(), z.unknown()).optional(),
      })
      .openapi({
        description: "The body as sent: entity_id, entity_type, action_type and (but on delete) result",
      }),
    reason: FailReason.openapi({
      description:
        "exhausted: every scheduled attempt failed; gone: the receiver answered 410; disabled: the webhook was disabled when the change came; deactivated: the webhook was switched off while this delivery waited (for a retry, behind an earlier change, or for its turn), so it got no more tries; superseded: a newer change of the same entity was delivered first, so this one is never sent again; unprocessable: no consumer could handle it",
    }),
    attempts: z.number().int(),
    last_status: z.number().int().nullable(),
    last_error: z.string().nullable().openapi({
      description:
        'Why the last attempt failed without an answer: "timeout", "redirect not followed", a network error, a blocked destination; null when the receiver answered',
    }),
    last_response: z
      .object({
        status: z.number().int(),
        body: z.string().openapi({ description: "The answer's body, cut to 1 KiB" }),
        body_truncated: z.boolean(),
      })
      .nullable()
      .openapi({ description: "The receiver's last answer (null: none came)" }),
    first_attempt_at: z.string().nullable(),
    failed_at: z.string(),
    recovery_queued_at: z.string().nullable(),
    recovered_at: z.string().nullable(),
  })
  .openapi("FailedDelivery");

export const FailedList = z
  .object({ data: z.array(FailedDeliveryOut), next_cursor: z.string().nullable() })
  .openapi("FailedDeliveryList");

const Since = z.iso.datetime({
  offset: true,
  message: "Must be an ISO 8601 date-time, e.g. 2026-11-27T10:00:00Z",
});

export const FailedQuery = pageQuery(50).extend({
  since: Since.optional().openapi({
    param: { name: "since", in: "query" },
    description: "Default: 30 days ago",
  }),
});

export const RecoverIn = z.strictObject({ since: Since }).openapi("RecoverRequest");
export const RecoverOut = z
  .object({
    queued: z.number().int().openapi({ description: "Failed deliveries queued to be sent again" }),
    superseded: z.number().int().openapi({
      description:
        "Failed deliveries not sent because a newer change of their entity was delivered since; now listed with reason superseded",
    }),
  })
  .openapi("RecoverAccepted");

export const FailedIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" } }),
  failed_id: z.string().openapi({ param: { name: "failed_id", in: "path" } }),
});

export type FailedDeliveryOut = z.infer<typeof FailedDeliveryOut>;
