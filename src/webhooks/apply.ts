// Changes to a webhook apply at once. Every change of its configuration (PATCH, a secret rotation)
// counts config_version up in D1, and then tells the webhook's Durable Object, which from then on
// lets no delivery go to a consumer that read an older version, and answers only once no delivery
// of an older one can still start. So the change answers when nothing starts any more with what
// the webhook was before. Should the object not answer, the change is saved but the request fails
// (503): sending it again (a PATCH with the same values changes nothing more) tells the object.
import { ApiError } from "../http/problem";
import { logError } from "../log";
import { webhookObject } from "./object";
import { deliveryStateOf, type WebhookRecord } from "./record";
import { requireWebhook } from "./require";

export async function applyToDeliveries(env: Env, record: WebhookRecord): Promise<void> {
  try {
    await webhookObject(env, record.id).configure({
      version: record.config_version,
      state: deliveryStateOf(record),
      deleted: false,
    });
  } catch (error) {
    logError("a changed webhook's object could not be told", error, { webhook_id: record.id });
    throw new ApiError(
      "unavailable",
      "The change is saved, but deliveries under way could not be told of it yet. Send the same request again.",
    );
  }
}

/** How often a change is tried on a fresh read when another change of the same webhook came in between. */
const SAVE_TRIES = 3;

/**
 * Makes a change of the webhook as stored now: `change` answers what it made, or null when
 * another change was saved in between (its save wrote nothing). It then starts over on a fresh
 * read, SAVE_TRIES times at most (then 409).
 */
export async function onFreshRead<T>(
  env: Env,
  accountId: string,
  id: string,
  change: (existing: WebhookRecord) => Promise<T | null>,
): Promise<T> {
  for (let tries = 1; tries <= SAVE_TRIES; tries++) {
    const made = await change(await requireWebhook(env, accountId, id));
    if (made !== null) return made;
  }
  throw new ApiError("conflict", "The webhook was changed by another request at the same time. Try again.");
}
