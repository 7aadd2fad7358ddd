// @ts-check
// A webhook card's Activity: GET /v1/webhooks/{id}/stats for the chosen window (24 hours unless
// the admin picked 7 days), drawn as a chart with its summary; loaded again after every request
// the page makes, so a test's outcome shows at once.

import { activityChart, activitySummary, bucketStart } from "./activity-chart.js";
import { api } from "./api.js";
import { setSlot, slot } from "./dom.js";
import { errorText } from "./errors.js";

/** @typedef {import("./card.js").Action} Action */

/** Answers to an older load of the same card are dropped. @type {WeakMap<HTMLElement, number>} */
const loads = new WeakMap();

/** Loads and draws the card's activity in its current window. */
export async function loadActivity(/** @type {HTMLElement} */ card, /** @type {string} */ webhookId) {
  const window = card.dataset.window === "7d" ? "7d" : "24h";
  const mine = (loads.get(card) ?? 0) + 1;
  loads.set(card, mine);
  try {
    const { buckets } = await api.stats(webhookId, window);
    if (loads.get(card) !== mine) return;
    const summary = activitySummary(buckets, window);
    slot(card, "activity-chart").replaceChildren(activityChart(buckets, summary, window));
    setSlot(card, "activity-from", buckets[0] ? bucketStart(buckets[0].start, window) : "—");
    setSlot(card, "activity-summary", summary);
  } catch (error) {
    if (loads.get(card) === mine) setSlot(card, "activity-summary", errorText(error));
  }
}

/** @type {Action} */
export async function switchActivity({ card, webhook, button }) {
  card.dataset.window = button.dataset.window === "7d" ? "7d" : "24h";
  for (const choice of card.querySelectorAll('[data-action="activity"]')) {
    choice.setAttribute("aria-pressed", String(choice === button));
  }
  await loadActivity(card, webhook.id);
}
