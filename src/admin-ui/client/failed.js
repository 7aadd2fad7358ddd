// @ts-check
// A webhook's "Failed deliveries": those that failed for good in the last 30 days, each with
// why (a superseded one explained: a newer change of its record was delivered since, so it is
// never sent again) or that it was delivered again, a button to send it again now, and, opened,
// its webhook-id, the body sent and the receiver's last answer.
import { ApiError, api } from "./api.js";
import { cloneTemplate, setSlot, showRows, slot } from "./dom.js";
import { formatTime, t, tn } from "./i18n.js";
import { reloadWebhook } from "./list.js";
import { addLogEntry } from "./logs.js";
import { changeName, prettyBody, rawSendError, say, sendErrorText, showOutcome } from "./show.js";

/** @typedef {import("./api.js").FailedDelivery} FailedDelivery */
/** @typedef {import("./card.js").Action} Action */
/** @typedef {import("./card.js").Starter} Starter */

/** Loads the list into the card's panel, keeping opened entries open. */
export async function loadFailed(/** @type {HTMLElement} */ card, /** @type {string} */ webhookId) {
  const { data } = await api.failed(webhookId);
  showFailed(card, data);
  return data;
}

/** @param {HTMLElement} card @param {FailedDelivery[]} data */
function showFailed(card, data) {
  const list = slot(card, "failed-list");
  showRows(list, data, () => data.map(failedRow), "failedId");
  list.dataset.loaded = "true";
  slot(card, "failed-empty").hidden = data.length > 0;
}

/** Loads the list again if the admin has it open. */
export async function reloadFailed(/** @type {HTMLElement} */ card, /** @type {string} */ webhookId) {
  if (slot(card, "failed-list").dataset.loaded === "true") await loadFailed(card, webhookId);
}

/** The failed deliveries as they are now, shown in the panel if the admin has it open. */
export async function followFailed(/** @type {HTMLElement} */ card, /** @type {string} */ webhookId) {
  const { data } = await api.failed(webhookId);
  if (slot(card, "failed-list").dataset.loaded === "true") showFailed(card, data);
  return data;
}

/** Queued again by Recover since it failed, and not delivered yet. @param {FailedDelivery} failed */
export const beingRecovered = (failed) =>
  failed.recovered_at === null &&
  failed.recovery_queued_at !== null &&
  Date.parse(failed.recovery_queued_at) > Date.parse(failed.failed_at);

/** @type {Action} */
export async function refreshFailed({ card, webhook, region }) {
  const [entries] = await Promise.all([loadFailed(card, webhook.id), reloadWebhook(webhook.id)]);
  say(region, tn("failedLoaded", entries.length));
}

/**
 * Sends one again; answers whether it started something the card should follow (a 409
 * "conflict": it, or an earlier change of its record, is on its way already).
 * @type {Starter}
 */
export async function redeliverFailed({ card, webhook, button, region }) {
  const row = /** @type {HTMLElement} */ (button.closest("li[data-failed-id]"));
  let started = true;
  try {
    const entry = await api.redeliverFailed(webhook.id, row.dataset.failedId ?? "");
    showOutcome(region, entry, "redelivered");
    addLogEntry(card, entry);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    // Superseded: a newer change of the record was delivered, is out or waits; never sent again.
    started = error.code !== "superseded";
    say(region, t(started ? "redeliverBusy" : "supersededRefused"), "error");
  }
  await Promise.all([loadFailed(card, webhook.id), reloadWebhook(webhook.id)]);
  return started;
}

/** "Update · User 7 · failed Dec 1, 2026, 10:38:15 PM · 10 attempts · last answer 503" */
function summaryOf(/** @type {FailedDelivery} */ failed) {
  const answer = failed.last_status ?? (failed.last_error ? sendErrorText(failed.last_error) : null);
  return [
    changeName(failed),
    t("failedAt", { time: formatTime(failed.failed_at) }),
    failed.attempts > 0 ? tn("attempts", failed.attempts) : "",
    answer === null ? "" : t("lastAnswer", { status: answer }),
  ]
    .filter(Boolean)
    .join(" · ");
}

/**
 * Delivered again (its re-sent attempt was answered 2xx), being delivered again (queued by
 * Recover since it failed), or failed: what the entry leads with, and what its reason line says.
 * @param {FailedDelivery} failed
 */
function stateOf(failed) {
  const reason = t(`reasonLabel_${failed.reason}`);
  if (failed.recovered_at) {
    const label = t("failedRecoveredLabel", { time: formatTime(failed.recovered_at) });
    return { state: "recovered", label, why: t("failedBefore", { reason }) };
  }
  if (beingRecovered(failed)) {
    return { state: "recovering", label: t("failedRecoveringLabel"), why: t("failedBefore", { reason }) };
  }
  return { state: "failed", label: reason, why: t(`reason_${failed.reason}`) };
}

/** @param {FailedDelivery} failed */
function failedRow(failed) {
  const row = cloneTemplate("tpl-failed-entry", failed.id);
  const { state, label, why } = stateOf(failed);
  row.dataset.failedId = failed.id;
  row.dataset.reason = failed.reason;
  row.dataset.state = state;
  setSlot(row, "reason-label", label);
  setSlot(row, "summary", summaryOf(failed));
  setSlot(row, "reason", why);
  fillDetail(row, failed);
  // A superseded one is never sent again, a recovered one was delivered and one being recovered
  // is on its way: the button would only be refused or send it twice.
  const button = /** @type {HTMLElement} */ (row.querySelector('[data-action="redeliver-failed"]'));
  button.hidden = failed.reason === "superseded" || state !== "failed";
  return row;
}

/** The opened entry: its webhook-id, the body as sent, and the receiver's last answer or why none came. */
function fillDetail(/** @type {HTMLElement} */ row, /** @type {FailedDelivery} */ failed) {
  setSlot(row, "message-id", failed.message_id);
  setSlot(row, "payload", JSON.stringify(failed.payload, null, 2));
  const response = failed.last_response;
  const raw = rawSendError(failed.last_error);
  slot(row, "response-raw").hidden = raw === null;
  setSlot(row, "response-raw-text", raw ?? "");
  slot(row, "response-body").hidden = !response;
  if (response) {
    const error = failed.last_error ? ` (${sendErrorText(failed.last_error)})` : "";
    const truncated = response.body_truncated ? ` ${t("truncatedKiB")}` : "";
    setSlot(row, "response-line", `HTTP ${response.status}${error}${truncated}`);
    setSlot(row, "response-body", prettyBody(response.body));
  } else if (failed.last_error) {
    setSlot(row, "response-line", t("failedNoAnswer", { error: sendErrorText(failed.last_error) }));
  } else {
    setSlot(
      row,
      "response-line",
      t(failed.attempts > 0 ? "failedNoAnswer" : "failedNotSent", { error: "—" }),
    );
  }
}
