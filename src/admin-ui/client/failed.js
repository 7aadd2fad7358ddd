// @ts-check
// A webhook's "Failed deliveries": those that failed for good in the last 30 days, each with
// why (a superseded one explained: a newer change of its record was delivered since, so it is
// never sent again) and a button to send it again now.
import { ApiError, api } from "./api.js";
import { cloneTemplate, setSlot, slot } from "./dom.js";
import { formatTime, t, tn } from "./i18n.js";
import { reloadWebhook } from "./list.js";
import { addLogEntry } from "./logs.js";
import { say, sendErrorText, showOutcome } from "./show.js";

/** @typedef {import("./api.js").FailedDelivery} FailedDelivery */
/** @typedef {import("./card.js").Action} Action */

/** Loads the list into the card's panel. */
export async function loadFailed(/** @type {HTMLElement} */ card, /** @type {string} */ webhookId) {
  const { data } = await api.failed(webhookId);
  const list = slot(card, "failed-list");
  list.replaceChildren(...data.map(failedRow));
  list.dataset.loaded = "true";
  slot(card, "failed-empty").hidden = data.length > 0;
  return data;
}

/** Loads the list again if the admin has it open. */
export async function reloadFailed(/** @type {HTMLElement} */ card, /** @type {string} */ webhookId) {
  if (slot(card, "failed-list").dataset.loaded === "true") await loadFailed(card, webhookId);
}

/** @type {Action} */
export async function refreshFailed({ card, webhook, region }) {
  const [entries] = await Promise.all([loadFailed(card, webhook.id), reloadWebhook(webhook.id)]);
  say(region, tn("failedLoaded", entries.length));
}

/** @type {Action} */
export async function redeliverFailed({ card, webhook, button, region }) {
  const row = /** @type {HTMLElement} */ (button.closest("li[data-failed-id]"));
  try {
    const entry = await api.redeliverFailed(webhook.id, row.dataset.failedId ?? "");
    showOutcome(region, entry, "redelivered");
    addLogEntry(card, entry);
  } catch (error) {
    // The one 409 of this route: a newer change of the record was delivered since.
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    say(region, t("supersededRefused"), "error");
  }
  await Promise.all([loadFailed(card, webhook.id), reloadWebhook(webhook.id)]);
}

/** "Update · User 7 · failed Dec 1, 2026, 10:38:15 PM · 10 attempts · last answer 503" */
function summaryOf(/** @type {FailedDelivery} */ failed) {
  const answer = failed.last_status ?? (failed.last_error ? sendErrorText(failed.last_error) : null);
  return [
    t(`action_${failed.action_type}`),
    `${t(`entity_${failed.entity_type}`)} ${failed.entity_id}`,
    t("failedAt", { time: formatTime(failed.failed_at) }),
    failed.attempts > 0 ? tn("attempts", failed.attempts) : "",
    answer === null ? "" : t("lastAnswer", { status: answer }),
    failed.recovered_at ? t("failedRecovered", { time: formatTime(failed.recovered_at) }) : "",
  ]
    .filter(Boolean)
    .join(" · ");
}

/** @param {FailedDelivery} failed */
function failedRow(failed) {
  const row = cloneTemplate("tpl-failed-entry", failed.id);
  row.dataset.failedId = failed.id;
  row.dataset.reason = failed.reason;
  row.dataset.recovered = String(failed.recovered_at !== null);
  setSlot(row, "reason-label", t(`reasonLabel_${failed.reason}`));
  setSlot(row, "summary", summaryOf(failed));
  setSlot(row, "reason", t(`reason_${failed.reason}`));
  // A superseded one is never sent again: its button would only be refused.
  const button = /** @type {HTMLElement} */ (row.querySelector('[data-action="redeliver-failed"]'));
  button.hidden = failed.reason === "superseded";
  return row;
}
