// @ts-check
// A card follows what the admin's own actions on it started — Recover, Retry now, sending a
// failed delivery again — until that work has settled: every few seconds it loads the webhook
// (its counts and health), what waits, the failed deliveries and the log again. It stops once
// nothing will move soon (nothing on its way or waiting its turn, no retry due within half a
// minute, every recovered delivery's outcome counted), or after two minutes, or when the
// webhook is gone. Nothing else polls: an idle page makes no requests.
import { beingRecovered, followFailed } from "./failed.js";
import { reloadWebhook, webhooks } from "./list.js";
import { reloadLogs } from "./logs.js";
import { latestPending } from "./pending.js";

/** @typedef {import("./api.js").PendingDelivery} PendingDelivery */
/** @typedef {import("./api.js").FailedDelivery} FailedDelivery */

const EVERY_MS = 2000;
const AT_MOST_MS = 2 * 60 * 1000;
/** A retry due within this long is about to go; one due later leaves the card as it is. */
const SOON_MS = 30_000;
/** Settled in this many looks in a row: the last outcome has reached the counts too. */
const SETTLED_LOOKS = 2;

/** @typedef {{ card: HTMLElement, until: number, settled: number, timer?: ReturnType<typeof setTimeout> }} Following */
/** @type {Map<string, Following>} */
const following = new Map();

/**
 * Follows the webhook's card from now on (again from now, if it follows already); the card is
 * marked data-following meanwhile.
 * @param {HTMLElement} card @param {string} webhookId
 */
export function follow(card, webhookId) {
  clearTimeout(following.get(webhookId)?.timer);
  /** @type {Following} */
  const mine = { card, until: Date.now() + AT_MOST_MS, settled: 0 };
  following.set(webhookId, mine);
  card.dataset.following = "true";
  mine.timer = setTimeout(() => look(webhookId, mine), EVERY_MS);
}

/** @param {string} webhookId @param {Following} mine */
async function look(webhookId, mine) {
  // A hidden tab is not looked at; the time still runs out.
  const settled = document.hidden ? false : await settledNow(webhookId).catch(() => false);
  if (following.get(webhookId) !== mine) return;
  mine.settled = settled ? mine.settled + 1 : 0;
  if (mine.settled >= SETTLED_LOOKS || Date.now() >= mine.until || !webhooks.has(webhookId)) {
    following.delete(webhookId);
    delete mine.card.dataset.following;
    return;
  }
  mine.timer = setTimeout(() => look(webhookId, mine), EVERY_MS);
}

/** Loads the card anew; answers whether what was started has settled. @param {string} webhookId */
async function settledNow(webhookId) {
  const card = await reloadWebhook(webhookId);
  const [pending, failed] = await Promise.all([
    latestPending(card, webhookId),
    followFailed(card, webhookId),
    reloadLogs(card, webhookId),
  ]);
  return !pending.some(movesSoon) && !landing(failed, pending);
}

/** @param {PendingDelivery} item */
function movesSoon(item) {
  if (item.state !== "retry") return item.state !== "held";
  return !item.next_attempt_at || Date.parse(item.next_attempt_at) - Date.now() < SOON_MS;
}

/**
 * A recovered delivery that no longer waits but is not counted as delivered (nor failed) yet.
 * @param {FailedDelivery[]} failed @param {PendingDelivery[]} pending
 */
function landing(failed, pending) {
  const waiting = new Set(pending.map((item) => item.message_id));
  return failed.some((delivery) => beingRecovered(delivery) && !waiting.has(delivery.message_id));
}
