// A delivery job: one change to one webhook, as the consumers send it and the webhook's Durable
// Object keeps it while it waits (for a retry, for an earlier change of its entity, for its turn).
// The webhook's URL and secrets are never kept here: a consumer sends with the configuration it
// read, and the object lets a job go only to a consumer whose configuration is current.
import type { Payload } from "../messages/payload";

/** The receiver's last answer, as a failed delivery shows it: the body cut to 1 KiB. */
export interface LastResponse {
  status: number;
  body: string;
  body_truncated: boolean;
}

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
  /** When the change was accepted (ISO). */
  accepted_at: string;
  payload: Payload;
  /** The attempt to make next, 1-based. */
  attempt: number;
  /** When attempt 1 started (ISO), null before it. */
  first_attempt_at: string | null;
  last_status?: number | null;
  last_error?: string | null;
  last_response?: LastResponse | null;
  /** Set when this job sends a recorded failed delivery again (recover). */
  failed_id?: string;
  /** How often its attempt could not be made on our side (a secret that does not decrypt, D1): it waits to be made again. */
  system_failures?: number;
  /**
   * The lease it was let go under (set by the object on the copy it hands out): its report names
   * it, so that a report that comes after its lease ended is told apart from a re-attempt's.
   */
  lease?: number;
}

/** What the object keeps in memory of a delivery that is out (no payload: the list of what waits needs no more). */
export type JobSummary = Pick<
  DeliveryJob,
  "message_id" | "seq" | "accepted_at" | "attempt" | "last_status" | "last_error"
> &
  Pick<Payload, "entity_type" | "entity_id" | "action_type">;

export function summaryOf(job: DeliveryJob): JobSummary {
  const { message_id, seq, accepted_at, attempt, last_status, last_error, payload } = job;
  const { entity_type, entity_id, action_type } = payload;
  return {
    message_id,
    seq,
    accepted_at,
    attempt,
    last_status,
    last_error,
    entity_type,
    entity_id,
    action_type,
  };
}
