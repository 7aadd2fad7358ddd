// @ts-check
// The page's wording, rendered by the server into a JSON data block in the chosen language.
const element = document.getElementById("messages");

/** @type {Record<string, string>} */
const messages = JSON.parse(element?.textContent || "{}");

export const lang = document.documentElement.lang || "en";

/**
 * The message `key`, with `{name}` placeholders filled from `values`.
 * @param {string} key
 * @param {Record<string, string | number>} [values]
 */
export function t(key, values = {}) {
  const template = messages[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "medium" });
const shortDateTime = new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "medium" });

/** @param {string | null | undefined} iso */
export const formatTime = (iso) => (iso ? dateTime.format(new Date(iso)) : "—");

/** For the log's time column. @param {string} iso */
export const formatShortTime = (iso) => shortDateTime.format(new Date(iso));
