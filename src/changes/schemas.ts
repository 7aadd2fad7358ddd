import { z } from "@hono/zod-openapi";
import { withCode } from "../http/field-errors";
import { JsonRecord } from "../http/json-depth";
import { defaulted } from "../http/openapi";
import { EventId } from "../webhooks/schemas";
import { ACTION_TYPES, ENTITY_TYPES } from "../webhooks/triggers";

export const MAX_CHANGES_PER_REQUEST = 100;
/** A change is at most 100 KiB: the UTF-8 bytes of the change as JSON. */
export const MAX_CHANGE_BYTES = 100 * 1024;

const ChangeFields = z.strictObject({
  account_id: z.string().min(1).max(200).openapi({ example: "acme" }),
  entity_type: z.enum(ENTITY_TYPES),
  entity_id: z
    .union([z.string().min(1).max(200), z.number().int()])
    .openapi({ description: "EventInsight's id of the record, passed through as sent", example: 7 }),
  action_type: z.enum(ACTION_TYPES),
  result: JsonRecord.optional().openapi({
    description: "The record's new value; required for new and update, absent for delete",
  }),
  event_ids: defaulted(
    z
      .array(z.union([EventId, z.number().int().transform(String)]))
      .max(100)
      .openapi({ example: ["ev_2026_fair"] }),
    [],
    "The EventInsight events the change concerns",
  ),
  change_id: z.string().min(1).max(200).optional().openapi({
    description:
      "Idempotency key: a push with the same change_id and the same content gets the same webhook-id (send it again safely after a 503); without one, every push is a new change",
  }),
  occurred_at: z.iso.datetime({ offset: true }).optional(),
});

export const ChangeIn = ChangeFields.superRefine((change, ctx) => {
  if (change.action_type === "delete" && change.result !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["result"],
      ...withCode("not_allowed", "Must be absent when action_type is delete"),
    });
  }
  if (change.action_type !== "delete" && change.result === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["result"],
      ...withCode("required", `Required when action_type is ${change.action_type}`),
    });
  }
}).openapi("Change");

const Changes = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .min(1, "Send at least one change")
    .max(MAX_CHANGES_PER_REQUEST, `At most ${MAX_CHANGES_PER_REQUEST} changes per request`);

const ChangeBatchIn = z.strictObject({ changes: Changes(ChangeIn) }).openapi("ChangeBatch");
/** The batch's envelope alone, to report its errors before those of each change. */
export const ChangeBatchShape = z.strictObject({ changes: Changes(z.unknown()) });

export const IngestBody = z.union([ChangeIn, ChangeBatchIn]).openapi({
  description: `One change, or { "changes": [...] } with up to ${MAX_CHANGES_PER_REQUEST}`,
});

export const IngestAccepted = z
  .object({ accepted: z.number().int(), change_ids: z.array(z.string()) })
  .openapi("IngestAccepted");

export type ChangeIn = z.infer<typeof ChangeIn>;
