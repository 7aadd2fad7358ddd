// @ts-check
// The list of the account's webhooks: one card each with its facts, health, warnings and what waits.
import { loadActivity } from "./activity.js";
import { api, listWebhooks } from "./api.js";
import { fillHeaders } from "./card-headers.js";
import { catalogEvent } from "./catalog.js";
import { byId, cloneTemplate, setSlot, slot, textElement } from "./dom.js";
import { errorText } from "./errors.js";
import { formatTime, t, tn } from "./i18n.js";
import { loadPending } from "./pending.js";
import { fillSigning } from "./secret.js";
import { say } from "./show.js";

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

/** Fetches one webhook again, e.g. for its delivery health after a request; answers its card. @param {string} id */
export async function reloadWebhook(id) {
  return showWebhook(await api.get(id));
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
  slot(card, "events").replaceChildren(eventsList(webhook.event_ids));
  slot(card, "health").replaceChildren(...healthLines(webhook));
  fillHeaders(card, webhook);
  const pace = webhook.max_per_second;
  setSlot(card, "pace", pace ? t("paceLimit", { n: pace }) : t("paceNone"));
  setSlot(card, "auth", t(webhook.auth ? "authOauth" : "authNone"));
  fillSigning(card, webhook);
  fillNotices(card, webhook);
  loadActivity(card, webhook.id);
  loadPending(card, webhook.id).catch(() => undefined);
  return card;
}

/** The name of a group of triggers: an entity, or the account's other webhooks. */
const GROUPS = { user: "entity_user", company: "entity_company", webhook: "triggerGroup_webhook" };

/** "User: New, Update · Company: Delete · Other webhooks: Failing" @param {string[]} triggers */
function triggersText(triggers) {
  const groups = Object.entries(GROUPS).map(([prefix, key]) => {
    const actions = triggers
      .filter((trigger) => trigger.startsWith(`${prefix}.`))
      .map((trigger) => t(`action_${trigger.slice(prefix.length + 1)}`));
    return actions.length > 0 ? `${t(key)}: ${actions.join(", ")}` : "";
  });
  return groups.filter(Boolean).join(" · ");
}

/** The chosen events by name, an id the catalog lacks as the id; none chosen: all events. */
function eventsList(/** @type {string[]} */ ids) {
  if (ids.length === 0) return document.createTextNode(t("allEvents"));
  const list = document.createElement("ul");
  list.className = "event-list";
  for (const id of ids) {
    const item = document.createElement("li");
    item.translate = false;
    const event = catalogEvent(id);
    item.textContent = event?.name ?? id;
    if (!event) item.className = "event-id";
    list.append(item);
  }
  return list;
}

/**
 * The last attempt, then the failure streak, each on a line of its own ("Antwort 500" and
 * "6 Fehlschläge" never run together). A failed last attempt is an attempt, not a delivery.
 * @param {Webhook} webhook
 */
function healthLines(webhook) {
  const time = formatTime(webhook.last_delivery_at);
  const status = webhook.last_status;
  const failed = webhook.consecutive_failures > 0 || (status !== null && (status < 200 || status > 299));
  const lines = [
    !webhook.last_delivery_at
      ? t("healthNone")
      : status === null
        ? t("healthLastNoAnswer", { time })
        : t(failed ? "healthLastFailed" : "healthLast", { time, status }),
  ];
  if (webhook.consecutive_failures > 0) {
    const since = formatTime(webhook.failing_since);
    lines.push(tn("healthFailures", webhook.consecutive_failures, { time: since }));
  }
  return lines.map((line) => textElement("span", line, "line"));
}

/** Why the webhook was switched off, and the failed deliveries waiting for a recover. */
function fillNotices(/** @type {HTMLElement} */ card, /** @type {Webhook} */ webhook) {
  slot(card, "disabled").hidden = !webhook.disabled_reason;
  setSlot(card, "disabled-reason", webhook.disabled_reason ? t(`disabled_${webhook.disabled_reason}`) : "");
  const failed = webhook.failed_deliveries ?? 0;
  slot(card, "failed").hidden = failed === 0;
  setSlot(card, "failed-count", tn("failedToRecover", failed));
}
