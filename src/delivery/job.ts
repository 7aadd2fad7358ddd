// A delivery job: one change to one webhook, as the consumers send it and the webhook's Durable
// Object keeps it while it waits (for a retry, for an earlier change of its entity, for its turn).
// The webhook's URL and secrets are loaded fresh for every attempt, never kept here.
import type { Payload } from "../messages/payload";

export interface DeliveryJob {
  webhook_id: string;
  account_id: string;
  change_id: string;
  /** The webhook-id header: the same on every attempt. */
  message_id: string;
  /** Which record the change is about (see entityOf): one entity's changes go out in order. */
  entity: string;
  /** The change's place in the order of acceptance. */
  seq: number;
  payload: Payload;
  /** The attempt to make next, 1-based. */
  attempt: number;
  /** When attempt 1 started (ISO), null before it. */
  first_attempt_at: string | null;
  last_status?: number | null;
  last_error?: string | null;
  /** Set when this job sends a recorded failed delivery again (recover). */
  failed_id?: string;
}
