// @ts-check
// The page's wording, rendered by the server into a JSON data block in the chosen language, and
// the table that turns the API's English field errors into it.

/** @param {string} id @returns {Record<string, string>} the JSON data block with that id */
const dataBlock = (id) => JSON.parse(document.getElementById(id)?.textContent || "{}");

const messages = dataBlock("messages");
const apiMessages = dataBlock("api-messages");

// The validator's own wording ("Invalid input: expected boolean, received string", "Too big: …")
// varies too much for a table: it is framed as an invalid value, the original kept.
const VALIDATOR_WORDING = /^(Invalid|Too (big|small)|Unrecognized)\b/;

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

/**
 * An API field error (`errors[].message`) in the page's language; a message the page does not
 * know is shown as the API sent it.
 * @param {string} message
 */
export function apiMessage(message) {
  if (Object.hasOwn(apiMessages, message)) return t(apiMessages[message]);
  return VALIDATOR_WORDING.test(message) ? t("fieldErrorInvalid", { message }) : message;
}

const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "medium" });
const shortDateTime = new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "medium" });

/** @param {string | null | undefined} iso */
export const formatTime = (iso) => (iso ? dateTime.format(new Date(iso)) : "—");

/** For the log's time column. @param {string} iso */
export const formatShortTime = (iso) => shortDateTime.format(new Date(iso));
