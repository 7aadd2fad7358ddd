// @ts-check
// The page's wording, rendered by the server into a JSON data block in the chosen language: plain
// messages, plural forms (`key_one`, `key_other`), and the one date format of the page.

/** @type {Record<string, string>} */
const messages = JSON.parse(document.getElementById("messages")?.textContent || "{}");

export const lang = document.documentElement.lang || "en";

const plurals = new Intl.PluralRules(lang);

/** @param {string} key */
export const has = (key) => Object.hasOwn(messages, key);

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
 * The plural form of `key` for `n` ("1 Fehlschlag", "2 Fehlschläge"), `n` filled in as {n}.
 * @param {string} key
 * @param {number} n
 * @param {Record<string, string | number>} [values]
 */
export function tn(key, n, values = {}) {
  const form = `${key}_${plurals.select(n)}`;
  return t(has(form) ? form : `${key}_other`, { n, ...values });
}

// One format for every point in time on the page: in sentences, the log and the failed deliveries
// alike. What starts on a whole hour or day (an activity bucket, an event) drops the seconds.
const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "medium" });
const dateMinute = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(lang, { dateStyle: "medium" });
const zone = new Intl.DateTimeFormat(lang, { timeZoneName: "short" });

/** @param {string | null | undefined} iso */
export const formatTime = (iso) => (iso ? dateTime.format(new Date(iso)) : "—");

/** "01.12.2026, 02:00 Uhr", "Dec 1, 2026, 2:00 AM": an hour's bucket. @param {string} iso */
export const formatHour = (iso) => t("atHour", { time: dateMinute.format(new Date(iso)) });

/** "01.12.2026": a day's bucket. @param {string} iso */
export const formatDay = (iso) => dateOnly.format(new Date(iso));

/** "02.03.2026, 18:30 MEZ": when an event starts, in the admin's time zone, named. @param {string} iso */
export function formatEventTime(iso) {
  const date = new Date(iso);
  const name = zone.formatToParts(date).find((part) => part.type === "timeZoneName")?.value;
  return name ? `${dateMinute.format(date)} ${name}` : dateMinute.format(date);
}
