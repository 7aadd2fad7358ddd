// @ts-check
// How results read on the page: outcome lines, bodies, headers, errors, live-region messages.
import { textElement } from "./dom.js";
import { t } from "./i18n.js";

/** @typedef {import("./api.js").LogEntry} LogEntry */

/**
 * "Update · User 42": a change as the page names it.
 * @param {{ action_type: string, entity_type: string, entity_id: string | number }} change
 */
export const changeName = (change) =>
  `${t(`action_${change.action_type}`)} · ${t(`entity_${change.entity_type}`)} ${change.entity_id}`;

/** @param {LogEntry} entry e.g. "Success: 200 in 35 ms" */
export function resultLine(entry) {
  return t("resultLine", {
    outcome: t(entry.success ? "outcomeSuccess" : "outcomeFailure"),
    status: statusText(entry),
    duration: entry.duration_ms,
  });
}

/**
 * The kind of a logged request's `error`: the service's own ("timeout", "redirect not
 * followed", "destination_…: …") or else the runtime's message about the connection.
 * @param {string} error
 */
function errorKind(error) {
  if (error === "timeout") return "timeout";
  if (error === "redirect not followed") return "redirect";
  if (error.startsWith("destination_blocked")) return "blocked";
  if (error.startsWith("destination_unresolved")) return "unresolved";
  return "network";
}

/** Why a request failed, in the page's words. @param {string | null} error */
export const sendErrorText = (error) => (error ? t(`sendError_${errorKind(error)}`) : "?");

/** The same as a word or two, for the log's Status column. @param {string | null} error */
export const sendErrorLabel = (error) => (error ? t(`sendErrorShort_${errorKind(error)}`) : "?");

/**
 * The error as recorded, where it says more than the page's words (a runtime's message, the
 * host it is about); null for the service's own fixed ones. @param {string | null} error
 */
export const rawSendError = (error) =>
  error && errorKind(error) !== "timeout" && errorKind(error) !== "redirect" ? error : null;

/** @param {LogEntry} entry "503", "302 (redirect not followed)", "no response (timeout: …)" */
export function statusText(entry) {
  if (!entry.response) return t("noResponse", { error: sendErrorText(entry.error) });
  const status = String(entry.response.status);
  return entry.error ? t("statusWithError", { status, error: sendErrorText(entry.error) }) : status;
}

/** A body as sent or received, pretty-printed when it is JSON. @param {string} body */
export function prettyBody(body) {
  if (!body) return t("empty");
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** @param {Record<string, string>} headers one "name: value" per line */
export function headerLines(headers) {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return lines.length > 0 ? lines.join("\n") : t("empty");
}

/**
 * Puts a message into a live region, marked as success or failure for the eye as well.
 * @param {HTMLElement} region
 * @param {string} text
 * @param {"ok" | "error" | ""} [kind]
 */
export function say(region, text, kind = "") {
  if (text) region.replaceChildren(textElement("p", text));
  else region.replaceChildren();
  region.dataset.kind = kind;
}

/** Empties every message region of the page: what an earlier action said no longer applies. */
export function clearMessages() {
  for (const region of document.querySelectorAll(".status, .result")) {
    if (region instanceof HTMLElement) say(region, "");
  }
}

/**
 * A request's outcome inline: the result line and what the receiver answered.
 * @param {HTMLElement} region
 * @param {LogEntry} entry
 * @param {string} [prefix] the message key that frames the line, e.g. "redelivered"
 */
export function showOutcome(region, entry, prefix) {
  const line = prefix ? t(prefix, { result: resultLine(entry) }) : resultLine(entry);
  region.replaceChildren(textElement("p", line));
  region.dataset.kind = entry.success ? "ok" : "error";
  if (!entry.response) return;
  const truncated = entry.response.body_truncated ? ` ${t("truncated")}` : "";
  region.append(
    textElement("p", `${t("responseBody")}${truncated}`, "label"),
    textElement("pre", prettyBody(entry.response.body)),
  );
}
