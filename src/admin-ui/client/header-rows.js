// @ts-check
// The webhook form's Custom headers: one name/value row each. Saved values arrive hidden
// ("••••"); a hidden value is kept unless the admin types a new one, and the whole set is sent
// (PATCH replaces it) only once the admin changed something in it.
import { api } from "./api.js";
import { byId, cloneTemplate } from "./dom.js";
import { errorText } from "./errors.js";
import { t } from "./i18n.js";

const list = byId("wf-header-rows");
const revealButton = byId("wf-headers-reveal");

/** @type {string | null} the webhook whose saved headers the rows show */
let webhookId = null;
let changed = false;
let revealed = false;
let rowCount = 0;
/** @type {Record<string, string> | null} the saved values, once fetched */
let saved = null;

/** @param {HTMLElement} row @param {"name" | "value" | "remove" | "error"} part */
const part = (row, part) => /** @type {HTMLInputElement} */ (row.querySelector(`[data-part="${part}"]`));
const rows = () => /** @type {HTMLElement[]} */ ([...list.children]);

/** A saved row's value: hidden ("•••• (hidden)" as its placeholder, the saved value kept) or shown. */
function setHidden(/** @type {HTMLElement} */ row, /** @type {boolean} */ hidden) {
  row.dataset.hidden = String(hidden);
  part(row, "value").placeholder = hidden ? t("headerValueHidden") : t("headerValue");
}

/** @param {string} name @param {{ hidden?: boolean }} [options] */
function addRow(name = "", { hidden = false } = {}) {
  const row = cloneTemplate("tpl-header-row", String(++rowCount));
  part(row, "name").value = name;
  part(row, "name").placeholder = t("headerName");
  part(row, "value").placeholder = t("headerValue");
  if (hidden) {
    row.dataset.saved = name;
    setHidden(row, true);
  }
  part(row, "remove").setAttribute("aria-label", t("headerRemoveLabel", { name: name || "" }).trim());
  list.append(row);
  return row;
}

/** Starts the field over with the webhook's saved header names, values hidden. @param {import("./api.js").Webhook} [webhook] */
export function resetHeaders(webhook) {
  webhookId = webhook?.id ?? null;
  changed = false;
  revealed = false;
  saved = null;
  list.replaceChildren();
  for (const name of Object.keys(webhook?.headers ?? {})) addRow(name, { hidden: true });
  revealButton.hidden = list.children.length === 0;
  revealButton.textContent = t("headersReveal");
}

async function savedValues() {
  if (!saved) saved = webhookId ? (await api.headers(webhookId)).headers : {};
  return saved;
}

/** Shows the saved values, or hides those still unchanged again. */
async function toggleReveal() {
  const values = revealed ? {} : await savedValues();
  revealed = !revealed;
  for (const row of rows()) {
    const original = row.dataset.saved;
    const value = part(row, "value");
    if (original === undefined) continue;
    if (revealed && row.dataset.hidden === "true") {
      value.value = values[original] ?? "";
      setHidden(row, false);
    } else if (!revealed && value.value === saved?.[original]) {
      value.value = "";
      setHidden(row, true);
    }
  }
  revealButton.textContent = t(revealed ? "headersHide" : "headersReveal");
}

/**
 * The headers to send: undefined when the admin changed nothing in them (so a PATCH keeps
 * them), else the whole set, hidden values filled in with the saved ones.
 * @returns {Promise<{ headers?: Record<string, string>, problems: { row: HTMLElement, key: string }[] }>}
 */
export async function readHeaders() {
  if (!changed) return { problems: [] };
  const values = rows().some((row) => row.dataset.hidden === "true") ? await savedValues() : {};
  /** @type {Record<string, string>} */
  const headers = {};
  const problems = [];
  for (const row of rows()) {
    const name = part(row, "name").value.trim();
    const hidden = row.dataset.hidden === "true";
    const value = hidden ? (values[row.dataset.saved ?? ""] ?? "") : part(row, "value").value;
    if (!name && !value) continue;
    if (!name) problems.push({ row, key: "error_required" });
    else if (Object.hasOwn(headers, name)) problems.push({ row, key: "error_duplicate" });
    else headers[name] = value;
  }
  return { headers, problems };
}

/**
 * Puts an error next to the row of header `name` and marks the inputs it is about; false when no
 * row has that name.
 * @param {HTMLElement | string} target
 * @param {string} text
 * @param {("name" | "value")[]} [about]
 */
export function showHeaderError(target, text, about = ["name", "value"]) {
  const row =
    typeof target === "string" ? rows().find((r) => part(r, "name").value.trim() === target) : target;
  if (!row) return false;
  const error = part(row, "error");
  error.textContent = error.textContent ? `${error.textContent} ${text}` : text;
  error.hidden = false;
  for (const input of about) part(row, input).setAttribute("aria-invalid", "true");
  return true;
}

export function wireHeaders() {
  byId("wf-header-add").addEventListener("click", () => {
    changed = true;
    part(addRow(), "name").focus();
  });
  revealButton.addEventListener("click", () =>
    toggleReveal().catch((error) => {
      const element = byId("wf-headers-error");
      element.textContent = errorText(error);
      element.hidden = false;
    }),
  );
  list.addEventListener("input", (event) => {
    changed = true;
    const input = event.target instanceof HTMLInputElement ? event.target : null;
    const row = /** @type {HTMLElement | null} */ (input?.closest("li") ?? null);
    // Emptying a hidden value while hidden keeps the saved one, as its placeholder then says.
    if (row?.dataset.saved !== undefined && input?.dataset.part === "value") {
      setHidden(row, input.value === "" && !revealed);
    }
    if (row && input?.dataset.part === "name") {
      part(row, "remove").setAttribute("aria-label", t("headerRemoveLabel", { name: input.value.trim() }));
    }
  });
  list.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-part="remove"]') : null;
    if (!button) return;
    changed = true;
    button.closest("li")?.remove();
    byId("wf-header-add").focus();
  });
}
