// @ts-check
// A webhook card's custom headers: their names with the values hidden ("••••", as the API shows
// them), and a button that reveals the values (GET /v1/webhooks/{id}/headers) until hidden again.
import { api } from "./api.js";
import { slot } from "./dom.js";
import { t } from "./i18n.js";

/** @typedef {import("./card.js").Action} Action */

/** @param {Record<string, string>} headers */
function headerList(headers) {
  const names = Object.keys(headers);
  if (names.length === 0) return document.createTextNode(t("headersNone"));
  const list = document.createElement("ul");
  list.className = "header-list";
  for (const name of names) {
    const item = document.createElement("li");
    item.translate = false;
    item.textContent = `${name}: ${headers[name]}`;
    list.append(item);
  }
  return list;
}

/**
 * Shows the webhook's headers hidden; headers the admin revealed stay revealed while the webhook
 * was not changed (the card is loaded again after every action, and while it follows one).
 * @param {HTMLElement} card @param {import("./api.js").Webhook} webhook
 */
export function fillHeaders(card, webhook) {
  const headers = webhook.headers ?? {};
  const shown = JSON.stringify([webhook.updated_at, headers]);
  if (card.dataset.headersShown === shown) return;
  card.dataset.headersShown = shown;
  hideHeaders(card, headers);
}

/** @param {HTMLElement} card @param {Record<string, string>} headers */
function hideHeaders(card, headers) {
  slot(card, "headers").replaceChildren(headerList(headers));
  const button = /** @type {HTMLElement} */ (card.querySelector('[data-action="reveal-headers"]'));
  button.hidden = Object.keys(headers).length === 0;
  button.textContent = t("headersReveal");
  button.dataset.revealed = "false";
}

/** @type {Action} */
export async function revealHeaders({ card, webhook, button }) {
  if (button.dataset.revealed === "true") return hideHeaders(card, webhook.headers ?? {});
  const { headers } = await api.headers(webhook.id);
  slot(card, "headers").replaceChildren(headerList(headers));
  button.textContent = t("headersHide");
  button.dataset.revealed = "true";
}
