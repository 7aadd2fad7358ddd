// @ts-check
// What the buttons on a webhook's card do. One click listener for the whole list finds the card
// and the action; the button stays focusable while its request runs but ignores repeat clicks.
import { switchActivity } from "./activity.js";
import { ApiError, api } from "./api.js";
import { revealHeaders } from "./card-headers.js";
import { byId, slot } from "./dom.js";
import { errorText } from "./errors.js";
import { loadFailed, redeliverFailed, refreshFailed, reloadFailed } from "./failed.js";
import { follow } from "./follow.js";
import { confirmDelete, openForm } from "./form.js";
import { t, tn } from "./i18n.js";
import { reloadWebhook, removeWebhook, showWebhook, webhooks } from "./list.js";
import { addLogEntry, loadLogs, redeliver, refreshLogs } from "./logs.js";
import { showMorePending } from "./pending.js";
import { copySecret, loadPublicKey, revealSecret, rotateSecret } from "./secret.js";
import { clearMessages, say, showOutcome } from "./show.js";

/**
 * @typedef {{ card: HTMLElement, webhook: import("./api.js").Webhook, button: HTMLElement, region: HTMLElement }} ActionContext
 * @typedef {(context: ActionContext) => Promise<void | boolean>} Action
 * @typedef {(context: ActionContext) => Promise<boolean>} Starter an action that answers whether it started work to follow
 */

const RECOVER_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/** @type {Action} */
async function reactivate({ webhook, region }) {
  const updated = await api.update(webhook.id, { is_active: true });
  showWebhook(updated);
  say(region, t("reactivated", { name: updated.name }), "ok");
}

/** "3 failed deliveries queued again. … 1 was not queued: … (superseded)." */
function recoveredText(/** @type {{ queued: number, superseded: number }} */ { queued, superseded }) {
  const parts = queued > 0 || superseded === 0 ? [tn("recovered", queued)] : [];
  if (superseded > 0) parts.push(tn("recoveredSuperseded", superseded));
  return queued === 0 && superseded === 0 ? t("recoveredNothing") : parts.join(" ");
}

/** @type {Starter} */
async function recover({ card, webhook, region }) {
  let queued = 0;
  try {
    const since = new Date(Date.now() - RECOVER_WINDOW_MS).toISOString();
    const recovered = await api.recover(webhook.id, since);
    say(region, recoveredText(recovered), "ok");
    queued = recovered.queued;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    say(region, t("recoverInactive"), "error");
    return false;
  }
  await Promise.all([reloadWebhook(webhook.id), reloadFailed(card, webhook.id)]);
  return queued > 0;
}

/** Retry now: every delivery waiting for a retry goes at once. @type {Starter} */
async function retryNow({ webhook, region }) {
  let due = 0;
  try {
    ({ due } = await api.retryPending(webhook.id));
    say(region, due > 0 ? tn("retried", due) : t("retriedNothing"), due > 0 ? "ok" : "");
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    say(region, t("retryInactive"), "error");
  }
  await reloadWebhook(webhook.id);
  return due > 0;
}

/** An action whose work the card follows until it has settled (follow.js). @param {Starter} action @returns {Action} */
const followed = (action) => async (context) => {
  if (await action(context)) follow(context.card, context.webhook.id);
};

/** @type {Action} */
async function test({ card, webhook, region }) {
  say(region, t("testSending"));
  const entry = await api.test(webhook.id);
  showOutcome(region, entry);
  addLogEntry(card, entry);
  await reloadWebhook(webhook.id);
}

/** @type {Action} */
async function remove({ webhook }) {
  if (!(await confirmDelete(webhook.name))) return;
  await api.remove(webhook.id);
  removeWebhook(webhook.id);
  say(byId("status"), t("deleted", { name: webhook.name }), "ok");
  byId("new-webhook").focus();
}

/** @type {Record<string, Action>} */
const ACTIONS = {
  reactivate,
  recover: followed(recover),
  "retry-pending": followed(retryNow),
  "more-pending": showMorePending,
  test,
  edit: async ({ webhook }) => openForm(webhook),
  delete: remove,
  reveal: revealSecret,
  copy: copySecret,
  rotate: rotateSecret,
  "refresh-log": refreshLogs,
  redeliver,
  "reveal-headers": revealHeaders,
  activity: switchActivity,
  "refresh-failed": refreshFailed,
  "redeliver-failed": followed(redeliverFailed),
};

/** Messages of an action go to the live region of the panel it sits in, else the card's. */
function regionOf(/** @type {HTMLElement} */ card, /** @type {HTMLElement} */ button) {
  if (button.closest('[data-slot="secret-panel"]')) return slot(card, "secret-status");
  if (button.closest('[data-slot="log-panel"]')) return slot(card, "log-status");
  if (button.closest('[data-slot="failed-panel"]')) return slot(card, "failed-status");
  return slot(card, "result");
}

/** @param {HTMLElement} button @param {Action} action */
async function run(button, action) {
  const card = /** @type {HTMLElement} */ (button.closest("li.webhook"));
  const webhook = webhooks.get(card.dataset.id ?? "");
  if (!webhook || button.getAttribute("aria-disabled") === "true") return;
  const region = regionOf(card, button);
  clearMessages();
  button.setAttribute("aria-disabled", "true");
  try {
    await action({ card, webhook, button, region });
  } catch (error) {
    say(region, errorText(error), "error");
  } finally {
    button.removeAttribute("aria-disabled");
  }
}

/** The panels that load when opened, and where their errors go. */
const PANELS = {
  "secret-panel": { load: loadPublicKey, status: "secret-status" },
  "log-panel": { load: loadLogs, status: "log-status" },
  "failed-panel": { load: loadFailed, status: "failed-status" },
};

function loadPanel(/** @type {EventTarget | null} */ target) {
  const panel = target instanceof HTMLDetailsElement ? target : null;
  const loader = PANELS[/** @type {keyof typeof PANELS} */ (panel?.dataset.slot ?? "")];
  if (!panel?.open || !loader) return;
  const card = /** @type {HTMLElement} */ (panel.closest("li.webhook"));
  loader
    .load(card, card.dataset.id ?? "")
    .catch((error) => say(slot(card, loader.status), errorText(error), "error"));
}

export function wireCards() {
  const list = byId("webhook-list");
  list.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = /** @type {HTMLElement | null} */ (
      target?.closest("li.webhook button[data-action]") ?? null
    );
    const action = button ? ACTIONS[button.dataset.action ?? ""] : undefined;
    if (button && action) run(button, action);
  });
  // "toggle" does not bubble: listen while it travels down to the opened panel.
  list.addEventListener("toggle", (event) => loadPanel(event.target), true);
}
