// @ts-check
// How results read on the page: outcome lines, bodies, headers, errors, live-region messages.
import { textElement } from "./dom.js";
import { has, t } from "./i18n.js";

/** @typedef {import("./api.js").LogEntry} LogEntry */

/** @param {LogEntry} entry e.g. "Success: 200 in 35 ms" */
export function resultLine(entry) {
  return t("resultLine", {
    outcome: t(entry.success ? "outcomeSuccess" : "outcomeFailure"),
    status: statusText(entry),
    duration: entry.duration_ms,
  });
}

/** Why a request got no answer, worded where the page knows the reason. @param {string | null} error */
export function sendErrorText(error) {
  const key = `sendError_${error === "redirect not followed" ? "redirect" : error}`;
  return has(key) ? t(key) : (error ?? "?");
}

/** @param {LogEntry} entry */
export const statusText = (entry) =>
  entry.response ? String(entry.response.status) : t("noResponse", { error: sendErrorText(entry.error) });

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
