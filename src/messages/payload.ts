// The message a receiver gets: its body (exactly four keys) and its webhook-id. Delivery, the
// request log and failed deliveries all speak of it, so it lives below them.
import { z } from "zod";
import { sha256 } from "../crypto/base64";
import { base32 } from "../ids";
import { ACTION_TYPES, ENTITY_TYPES } from "../webhooks/triggers";
import type { ChangeMessage, NoticeMessage } from "./queue";

/** The record as the origin sent it: validated at the door (../http/json-depth.ts), only checked for shape here. */
const Record = z.custom<Record<string, unknown>>(
  (v) => typeof v === "object" && v !== null && !Array.isArray(v),
);

export const Payload = z.object({
  entity_id: z.union([z.string(), z.number()]),
  entity_type: z.enum([...ENTITY_TYPES, "webhook"]),
  action_type: z.enum([...ACTION_TYPES, "test", "failing", "disabled", "recovered"]),
  result: Record.optional(),
});
export type Payload = z.infer<typeof Payload>;

/** What a queued change or notice delivers: the change's record, or the webhook a notice is about. */
export function payloadOf(message: ChangeMessage | NoticeMessage): Payload {
  if (message.type === "notice") {
    return {
      entity_id: message.webhook_id,
      entity_type: "webhook",
      action_type: message.action,
      result: message.webhook,
    };
  }
  const { entity_id, entity_type, action_type, result } = message.change;
  return { entity_id, entity_type, action_type, ...(result === undefined ? {} : { result }) };
}

/** The id answered to the origin for a change; a notice's own identity. */
export const changeIdOf = (message: ChangeMessage | NoticeMessage) =>
  message.type === "change" ? message.change_id : message.identity;

const bodies = new WeakMap<Payload, string>();

/** The payload as it is POSTed: exactly these keys, and no `result` on delete. */
export function sentPayload(payload: Payload): Payload {
  const { entity_id, entity_type, action_type, result } = payload;
  const body: Payload = { entity_id, entity_type, action_type };
  if (action_type !== "delete" && result !== undefined) body.result = result;
  return body;
}

/** The exact bytes POSTed. Made once per payload object: a change fanned out to many webhooks shares one. */
export function payloadBody(payload: Payload): string {
  let text = bodies.get(payload);
  if (text === undefined) {
    text = JSON.stringify(sentPayload(payload));
    bodies.set(payload, text);
  }
  return text;
}

/**
 * Which record a payload is about (entity_type + entity_id; 42 and "42" are one record): the
 * changes of one entity reach a webhook in order.
 */
export const entityOf = (payload: Pick<Payload, "entity_type" | "entity_id">) =>
  `${payload.entity_type}:${payload.entity_id}`;

/** `msg_…`, derived from the change's identity and the webhook: identical on every retry and redelivery. */
export async function messageIdFor(identity: string, webhookId: string): Promise<string> {
  const digest = await sha256(`${identity}\u0000${webhookId}`);
  return `msg_${base32(digest.subarray(0, 17)).slice(0, 26)}`;
}
