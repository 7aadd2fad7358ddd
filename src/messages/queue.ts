// Every message on the Worker's queues, in one schema. The changes queue carries changes and
// operational notices, the deliveries queue wake-ups from webhooks' Durable Objects, and the
// dead-letter queue whatever a consumer set aside (or the platform gave up on).
import { z } from "zod";
import { ACTION_TYPES, ENTITY_TYPES } from "../webhooks/triggers";

/** Fields a change message shares with a notice: who it is and where it stands in acceptance order. */
const Accepted = {
  /** What webhook-ids derive from (see changes/identity.ts). */
  identity: z.string(),
  /** Position in the order of acceptance: the changes of one entity reach a webhook in this order. */
  seq: z.number().int(),
  received_at: z.string(),
};

/** A change as ingest queued it. Validated in full at the door; here only its shape is checked. */
export const ChangeMessage = z.object({
  type: z.literal("change"),
  /** The id answered to the origin: its own change_id, or one made for it. */
  change_id: z.string(),
  ...Accepted,
  change: z.object({
    account_id: z.string(),
    entity_type: z.enum(ENTITY_TYPES),
    entity_id: z.union([z.string(), z.number()]),
    action_type: z.enum(ACTION_TYPES),
    result: z.custom<Record<string, unknown>>((v) => typeof v === "object" && v !== null).optional(),
    event_ids: z.array(z.string()),
    occurred_at: z.string().optional(),
  }),
});

/** An operational notification about one webhook, for the account's other webhooks. */
export const NoticeMessage = z.object({
  type: z.literal("notice"),
  ...Accepted,
  account_id: z.string(),
  webhook_id: z.string(),
  action: z.enum(["failing", "disabled", "recovered"]),
  /** The webhook object concerned, as the API shows it (no secret, header values masked). */
  webhook: z.record(z.string(), z.unknown()),
});

/** A webhook's Durable Object has deliveries due: the deliveries consumer claims and sends them. */
export const WakeMessage = z.object({ type: z.literal("wake"), webhook_id: z.string() });

/** How much of an unreadable message is kept for an operator. */
export const POISON_KEPT_CHARS = 16 * 1024;

/** A message no consumer could read, set aside as it was. */
export const PoisonMessage = z.object({
  type: z.literal("poison"),
  /** The queue the message came from. */
  queue: z.string(),
  received_at: z.string(),
  /** The unreadable body, as JSON text where possible, cut to POISON_KEPT_CHARS. */
  raw: z.string(),
});

export const QueueMessage = z.discriminatedUnion("type", [
  ChangeMessage,
  NoticeMessage,
  WakeMessage,
  PoisonMessage,
]);

export type ChangeMessage = z.infer<typeof ChangeMessage>;
export type NoticeMessage = z.infer<typeof NoticeMessage>;
export type WakeMessage = z.infer<typeof WakeMessage>;
export type PoisonMessage = z.infer<typeof PoisonMessage>;
export type QueueMessage = z.infer<typeof QueueMessage>;

/** The message, if it is one of ours. */
export function readMessage(body: unknown): QueueMessage | null {
  const parsed = QueueMessage.safeParse(body);
  return parsed.success ? parsed.data : null;
}
