// @ts-check
// A webhook's "Log overview": its last 10 requests, newest first, each expandable to the full
// request and response, each with a Redeliver button.
import { api } from "./api.js";
import { cloneTemplate, forgetShown, setSlot, showRows, slot } from "./dom.js";
import { formatTime, t, tn } from "./i18n.js";
import { reloadWebhook } from "./list.js";
import {
  headerLines,
  prettyBody,
  rawSendError,
  say,
  sendErrorLabel,
  sendErrorText,
  showOutcome,
} from "./show.js";

/** @typedef {import("./api.js").LogEntry} LogEntry */
/** @typedef {import("./card.js").Action} Action */

const LOG_CAPACITY = 10;

/** Loads the log into the card's panel, keeping expanded rows expanded. */
export async function loadLogs(/** @type {HTMLElement} */ card, /** @type {string} */ webhookId) {
  const { data } = await api.logs(webhookId);
  const list = slot(card, "log-list");
  showRows(list, data, () => data.map(logRow), "logId");
  list.dataset.loaded = "true";
  slot(card, "log-empty").hidden = data.length > 0;
  return data;
}

/** Loads the log again if the admin has it open. */
export async function reloadLogs(/** @type {HTMLElement} */ card, /** @type {string} */ webhookId) {
  if (slot(card, "log-list").dataset.loaded === "true") await loadLogs(card, webhookId);
}

/** Puts a request the page just made (test, redelivery) on top of a loaded log. */
export function addLogEntry(/** @type {HTMLElement} */ card, /** @type {LogEntry} */ entry) {
  const list = slot(card, "log-list");
  if (list.dataset.loaded !== "true") return;
  forgetShown(list);
  list.prepend(logRow(entry));
  while (list.children.length > LOG_CAPACITY) list.lastElementChild?.remove();
  slot(card, "log-empty").hidden = true;
}

/** @type {Action} */
export async function refreshLogs({ card, webhook, region }) {
  const [entries] = await Promise.all([loadLogs(card, webhook.id), reloadWebhook(webhook.id)]);
  say(region, tn("logLoaded", entries.length));
}

/** @type {Action} */
export async function redeliver({ card, webhook, button, region }) {
  const row = /** @type {HTMLElement} */ (button.closest("li[data-log-id]"));
  const entry = await api.redeliver(webhook.id, row.dataset.logId ?? "");
  showOutcome(region, entry, "redelivered");
  addLogEntry(card, entry);
  await reloadWebhook(webhook.id);
}

/** @param {LogEntry} entry */
function actionText(entry) {
  const action = t(`action_${entry.action_type}`);
  return entry.kind === "redelivery" ? `${action} (${t("kind_redelivery")})` : action;
}

/** @param {LogEntry} entry */
function logRow(entry) {
  const row = cloneTemplate("tpl-log-entry", entry.id);
  row.dataset.logId = entry.id;
  row.dataset.outcome = entry.success ? "ok" : "error";
  setSlot(row, "outcome", t(entry.success ? "outcomeSuccess" : "outcomeFailure"));
  setSlot(row, "time", formatTime(entry.created_at));
  setSlot(row, "action", actionText(entry));
  fillEntity(slot(row, "entity"), entry);
  setSlot(row, "attempt", String(entry.attempt));
  fillStatus(slot(row, "status"), entry);
  setSlot(row, "duration", `${entry.duration_ms} ms`);
  fillExchange(row, entry);
  return row;
}

/** The status code, or a word or two for why there was none; the whole reason as its title. */
function fillStatus(/** @type {HTMLElement} */ cell, /** @type {LogEntry} */ entry) {
  cell.textContent = entry.response ? String(entry.response.status) : sendErrorLabel(entry.error);
  if (entry.error) cell.title = sendErrorText(entry.error);
}

/** "Company 7": the kind in the page's language, the id as the origin sent it. */
function fillEntity(/** @type {HTMLElement} */ cell, /** @type {LogEntry} */ entry) {
  const id = document.createElement("span");
  id.translate = false;
  id.className = "entity-id";
  id.textContent = String(entry.entity_id);
  id.title = String(entry.entity_id);
  cell.replaceChildren(`${t(`entity_${entry.entity_type}`)} `, id);
}

/** The expanded part: what was sent and what came back. */
function fillExchange(/** @type {HTMLElement} */ row, /** @type {LogEntry} */ entry) {
  setSlot(row, "request-line", `${entry.request.method} ${entry.request.url}`);
  setSlot(row, "request-headers", headerLines(entry.request.headers));
  setSlot(row, "request-body", prettyBody(entry.request.body));
  const response = entry.response;
  slot(row, "response-parts").hidden = !response;
  const error = slot(row, "response-error");
  error.hidden = !entry.error;
  error.textContent = entry.error ? `${t("error")}: ${sendErrorText(entry.error)}` : "";
  const raw = rawSendError(entry.error);
  slot(row, "response-raw").hidden = raw === null;
  setSlot(row, "response-raw-text", raw ?? "");
  if (!response) {
    setSlot(row, "response-line", "");
    return;
  }
  const truncated = response.body_truncated ? ` ${t("truncated")}` : "";
  setSlot(row, "response-line", `HTTP ${response.status}${truncated}`);
  setSlot(row, "response-headers", headerLines(response.headers));
  setSlot(row, "response-body", prettyBody(response.body));
}
