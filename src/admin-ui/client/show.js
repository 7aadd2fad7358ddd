// @ts-check
// How results read on the page: outcome lines, bodies, headers, errors, live-region messages.
import { ApiError } from "./api.js";
import { textElement } from "./dom.js";
import { t } from "./i18n.js";

/** @typedef {import("./api.js").LogEntry} LogEntry */

/** @param {LogEntry} entry e.g. "Success: 200 in 35 ms" */
export function resultLine(entry) {
  return t("resultLine", {
    outcome: t(entry.success ? "outcomeSuccess" : "outcomeFailure"),
    status: statusText(entry),
    duration: entry.duration_ms,
  });
}

/** @param {LogEntry} entry */
export const statusText = (entry) =>
  entry.response ? String(entry.response.status) : t("noResponse", { error: entry.error ?? "?" });

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
  region.replaceChildren(textElement("p", text));
  region.dataset.kind = kind;
}

/** @param {unknown} error */
export function errorText(error) {
  if (error instanceof ApiError && error.status === 0) return error.message;
  const detail = error instanceof Error ? error.message : String(error);
  return t("errorGeneric", { detail });
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
