// @ts-check
// The list of the account's webhooks: one card each with its facts, health and warnings.
import { api, listWebhooks } from "./api.js";
import { byId, cloneTemplate, setSlot, slot } from "./dom.js";
import { formatTime, t } from "./i18n.js";
import { errorText, say } from "./show.js";

/** @typedef {import("./api.js").Webhook} Webhook */

/** The webhooks on the page, by id. @type {Map<string, Webhook>} */
export const webhooks = new Map();

/** (Re)loads every webhook; cards already on the page are updated in place, keeping open panels. */
export async function loadWebhooks() {
  const list = byId("webhook-list");
  list.setAttribute("aria-busy", "true");
  try {
    const all = await listWebhooks();
    webhooks.clear();
    const cards = all.map(cardFor);
    // Re-inserting a card would take the focus from whatever in it has it: only when the order changed.
    if (cards.some((card, i) => list.children[i] !== card) || list.children.length !== cards.length) {
      list.replaceChildren(...cards);
    }
    byId("list-empty").hidden = all.length > 0;
    say(byId("status"), "");
  } catch (error) {
    say(byId("status"), errorText(error), "error");
  } finally {
    list.setAttribute("aria-busy", "false");
  }
}

/** Shows a created or changed webhook. @param {Webhook} webhook */
export function showWebhook(webhook) {
  const card = cardFor(webhook);
  if (!card.isConnected) byId("webhook-list").append(card);
  byId("list-empty").hidden = true;
  return card;
}

/** Fetches one webhook again, e.g. for its delivery health after a request. @param {string} id */
export async function reloadWebhook(id) {
  showWebhook(await api.get(id));
}

/** @param {string} id */
export function removeWebhook(id) {
  webhooks.delete(id);
  cardOf(id)?.remove();
  byId("list-empty").hidden = webhooks.size > 0;
}

/** @param {string} id */
const cardOf = (id) => document.querySelector(`li.webhook[data-id="${CSS.escape(id)}"]`);

/** @param {Webhook} webhook */
function cardFor(webhook) {
  webhooks.set(webhook.id, webhook);
  const card =
    /** @type {HTMLElement | null} */ (cardOf(webhook.id)) ?? cloneTemplate("tpl-webhook", webhook.id);
  card.dataset.id = webhook.id;
  setSlot(card, "name", webhook.name);
  const badge = slot(card, "badge");
  badge.textContent = t(webhook.is_active ? "badgeActive" : "badgeInactive");
  badge.dataset.state = webhook.is_active ? "active" : "inactive";
  setSlot(card, "url", webhook.url);
  setSlot(card, "triggers", triggersText(webhook.triggers));
  setSlot(card, "events", webhook.event_ids.length > 0 ? webhook.event_ids.join(", ") : t("allEvents"));
  setSlot(card, "health", healthText(webhook));
  fillNotices(card, webhook);
  return card;
}

/** "User: New, Update · Company: Delete" @param {string[]} triggers */
function triggersText(triggers) {
  const groups = ["user", "company"].map((entity) => {
    const actions = triggers
      .filter((trigger) => trigger.startsWith(`${entity}.`))
      .map((trigger) => t(`action_${trigger.slice(entity.length + 1)}`));
    return actions.length > 0 ? `${t(`entity_${entity}`)}: ${actions.join(", ")}` : "";
  });
  return groups.filter(Boolean).join(" · ");
}

/** @param {Webhook} webhook */
function healthText(webhook) {
  const parts = [];
  if (webhook.last_delivery_at) {
    const status = webhook.last_status ?? t("healthNoStatus");
    parts.push(t("healthLast", { time: formatTime(webhook.last_delivery_at), status }));
  } else {
    parts.push(t("healthNone"));
  }
  if (webhook.consecutive_failures > 0) {
    const time = formatTime(webhook.failing_since);
    parts.push(t("healthFailures", { n: webhook.consecutive_failures, time }));
  }
  return parts.join(" ");
}

/** Why the webhook was switched off, and the failed deliveries waiting for a recover. */
function fillNotices(/** @type {HTMLElement} */ card, /** @type {Webhook} */ webhook) {
  slot(card, "disabled").hidden = !webhook.disabled_reason;
  setSlot(card, "disabled-reason", webhook.disabled_reason ? t(`disabled_${webhook.disabled_reason}`) : "");
  const failed = webhook.failed_deliveries ?? 0;
  slot(card, "failed").hidden = failed === 0;
  setSlot(card, "failed-count", t("failedWaiting", { n: failed }));
}
