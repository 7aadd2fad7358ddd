// A delivery job: one change to one webhook, carried in queue messages between attempts.
// Messages stay small: the payload travels as an object (no doubly escaped JSON string) and
// the webhook's URL and secrets are loaded fresh for every attempt.
import { z } from "zod";
import { sha256 } from "../crypto/base64";
import { JsonRecord } from "../http/json-depth";
import { ACTION_TYPES, ENTITY_TYPES } from "../webhooks/triggers";

export const Payload = z.object({
  entity_id: z.union([z.string(), z.number()]),
  entity_type: z.enum(ENTITY_TYPES),
  action_type: z.enum([...ACTION_TYPES, "test"]),
  result: JsonRecord.optional(),
});
export type Payload = z.infer<typeof Payload>;

export const DeliveryJob = z.object({
  webhook_id: z.string(),
  account_id: z.string(),
  change_id: z.string(),
  message_id: z.string(),
  payload: Payload,
  /** The attempt to make next, 1-based. */
  attempt: z.number().int().min(1),
  /** When attempt 1 started (ISO), null before it. */
  first_attempt_at: z.string().nullable(),
  /** Not before this time (epoch ms): waits longer than a queue delay are made of several hops. */
  due_at: z.number().optional(),
  last_status: z.number().int().nullable().optional(),
  last_error: z.string().nullable().optional(),
  /** Set when this job re-sends a recorded failed delivery (recover). */
  failed_id: z.string().optional(),
  /**
   * A guard for an attempt handed off to the slow lane: if that attempt was not settled (its
   * outcome stored) by the time the guard arrives, the attempt is made again.
   */
  guard: z.boolean().optional(),
});
export type DeliveryJob = z.infer<typeof DeliveryJob>;

/** The exact bytes POSTed: exactly these keys, and no `result` on delete. */
export function payloadBody(payload: Payload): string {
  const { entity_id, entity_type, action_type, result } = payload;
  const body: Payload = { entity_id, entity_type, action_type };
  if (action_type !== "delete" && result !== undefined) body.result = result;
  return JSON.stringify(body);
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** `msg_…`, derived from the change's identity and the webhook: identical on every retry and redelivery. */
export async function messageIdFor(identity: string, webhookId: string): Promise<string> {
  const digest = await sha256(`${identity}\u0000${webhookId}`);
  let out = "";
  for (let i = 0; i < 26; i++) {
    const bit = i * 5;
    const value = ((digest[bit >> 3] ?? 0) << 8) | (digest[(bit >> 3) + 1] ?? 0);
    out += CROCKFORD[(value >> (11 - (bit & 7))) & 31];
  }
  return `msg_${out}`;
}
