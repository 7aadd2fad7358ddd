// @ts-check
// The "New webhook" / "Edit webhook" dialog and the delete confirmation. The API validates; its
// problem's `errors[].path` names the field ("url", "event_ids.1", "headers.X-Api-Key") the
// message goes to.
import { ApiError, api } from "./api.js";
import { readCredentials, resetCredentials, wireCredentials } from "./credentials-form.js";
import { byId, confirmed } from "./dom.js";
import { errorText, fieldErrorText } from "./errors.js";
import { chosenEvents, eventLabel, resetPicker, wirePicker } from "./event-picker.js";
import { readHeaders, resetHeaders, showHeaderError, wireHeaders } from "./header-rows.js";
import { t } from "./i18n.js";
import { clearMessages } from "./show.js";

/** @typedef {import("./api.js").Webhook} Webhook */

const FIELDS = [
  "name",
  "is_active",
  "url",
  "triggers",
  "event_ids",
  "headers",
  "max_per_second",
  "signature_scheme",
  "auth",
];
const dialog = /** @type {HTMLDialogElement} */ (byId("webhook-dialog"));
const form = /** @type {HTMLFormElement} */ (byId("webhook-form"));

/** @type {Webhook | null} the webhook being edited; null while creating one */
let editing = null;

/** @param {string} name */
const control = (name) => /** @type {any} */ (form.elements.namedItem(name));

/** Opens the dialog empty (all triggers, active) or with `webhook` to edit. @param {Webhook} [webhook] */
export function openForm(webhook) {
  editing = webhook ?? null;
  form.reset();
  clearErrors();
  clearMessages();
  const title = byId("webhook-form-title");
  title.textContent = (webhook ? title.dataset.titleEdit : title.dataset.titleNew) ?? "";
  if (webhook) {
    control("name").value = webhook.name;
    control("url").value = webhook.url;
    control("is_active").value = String(webhook.is_active);
    control("max_per_second").value = webhook.max_per_second ?? "";
    for (const box of form.querySelectorAll('input[name="triggers"]')) {
      const checkbox = /** @type {HTMLInputElement} */ (box);
      checkbox.checked = webhook.triggers.includes(checkbox.value);
    }
  }
  resetPicker(webhook?.event_ids ?? []);
  resetHeaders(webhook);
  resetCredentials(webhook);
  dialog.showModal();
}

/** Empty is no limit; anything but a number goes as typed, for the API to say what is wrong. */
function perSecond(/** @type {string} */ typed) {
  const text = typed.trim();
  if (text === "") return null;
  return Number.isFinite(Number(text)) ? Number(text) : text;
}

/** What the form says, `headers` only when the admin changed them (PATCH replaces the set). */
async function readForm() {
  const data = new FormData(form);
  const { headers, problems } = await readHeaders();
  const input = {
    name: String(data.get("name") ?? ""),
    url: String(data.get("url") ?? "").trim(),
    is_active: data.get("is_active") === "true",
    triggers: data.getAll("triggers").map(String),
    event_ids: chosenEvents(),
    max_per_second: perSecond(String(data.get("max_per_second") ?? "")),
    ...(headers ? { headers } : {}),
    ...readCredentials(),
  };
  return { input, problems };
}

function clearErrors() {
  for (const element of form.querySelectorAll("[data-error-for]")) {
    element.textContent = "";
    /** @type {HTMLElement} */ (element).hidden = true;
  }
  for (const element of form.querySelectorAll("[aria-invalid]")) element.removeAttribute("aria-invalid");
}

/** @param {string} field @param {string} text */
function showError(field, text) {
  const element = /** @type {HTMLElement} */ (form.querySelector(`[data-error-for="${field}"]`));
  element.textContent = element.textContent ? `${element.textContent} ${text}` : text;
  element.hidden = false;
  const inputs = field === "_form" ? [] : form.querySelectorAll(`[name="${field}"], [data-field="${field}"]`);
  for (const input of inputs) input.setAttribute("aria-invalid", "true");
}

/**
 * Each field error next to its field, then a summary on top; focus goes to the first bad field.
 * With `rowProblems` the page sent the empty header name itself: the API's error about it is not
 * news, the rows already say what is wrong.
 */
function showProblem(
  /** @type {unknown} */ error,
  /** @type {string[]} */ sentEvents,
  /** @type {boolean} */ rowProblems,
) {
  const errors = (error instanceof ApiError && error.problem.errors) || [];
  if (errors.length === 0) {
    showError(
      "_form",
      rowProblems && error instanceof ApiError && error.status === 400 ? t("formInvalid") : errorText(error),
    );
    return focusFirstError();
  }
  for (const fieldError of errors) {
    if (rowProblems && fieldError.path === "headers.") continue;
    const [field = "", index] = fieldError.path.split(".");
    const known = FIELDS.includes(field);
    const text = fieldErrorText(fieldError);
    if (field === "headers" && index !== undefined) {
      const name = fieldError.path.slice("headers.".length);
      if (!showHeaderError(name, text, [headerPart(fieldError.code)]))
        showError("headers", `${name}: ${text}`);
    } else if (field === "auth" && index !== undefined) {
      // One of the authentication's own fields ("auth.token_url"), else the authentication as a whole.
      const own = form.querySelector(`[data-error-for="${fieldError.path}"]`);
      showError(own ? fieldError.path : "auth", own ? text : `${fieldError.path}: ${text}`);
    } else if (field === "event_ids" && index !== undefined) {
      showError(
        field,
        t("eventError", { event: eventLabel(sentEvents[Number(index)] ?? index), message: text }),
      );
    } else {
      const elsewhere = fieldError.path ? `${fieldError.path}: ${text}` : text;
      showError(known ? field : "_form", known ? text : elsewhere);
    }
  }
  showError("_form", t("formInvalid"));
  focusFirstError();
}

const focusFirstError = () =>
  /** @type {HTMLElement | null} */ (form.querySelector('[aria-invalid="true"]'))?.focus();

/** The input of a header row an error code is about: its name, unless the code is about a value. */
const headerPart = (/** @type {string} */ code) =>
  code.startsWith("header_value_") || code === "control_characters" || code === "invalid_type"
    ? "value"
    : "name";

/**
 * Sends the form; a refusal, and rows the page can tell are wrong, stay in the open form, all at
 * once. A header row the page knows is wrong (a value without a name, a name given twice) cannot
 * go into the JSON as typed, so the set goes with an empty name instead, which the API always
 * refuses: nothing is saved, and its 400 names every other bad field in the same answer.
 */
async function save(/** @type {(webhook: Webhook, created: boolean) => void} */ onSaved) {
  let sentEvents = chosenEvents();
  /** @type {{ row: HTMLElement, key: string }[]} */
  let problems = [];
  try {
    const read = await readForm();
    problems = read.problems;
    const input =
      problems.length > 0 ? { ...read.input, headers: { ...read.input.headers, "": "" } } : read.input;
    sentEvents = input.event_ids;
    const saved = editing ? await api.update(editing.id, input) : await api.create(input);
    dialog.close();
    onSaved(saved, !editing);
  } catch (error) {
    for (const { row, key } of problems) showHeaderError(row, t(key), ["name"]);
    showProblem(error, sentEvents, problems.length > 0);
  }
}

/** @param {(webhook: Webhook, created: boolean) => void} onSaved */
export function wireForm(onSaved) {
  const submit = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (submit.getAttribute("aria-disabled") === "true") return;
    clearErrors();
    submit.setAttribute("aria-disabled", "true");
    try {
      await save(onSaved);
    } finally {
      submit.removeAttribute("aria-disabled");
    }
  });
  form.querySelector('[data-action="close-dialog"]')?.addEventListener("click", () => dialog.close());
  wirePicker();
  wireHeaders();
  wireCredentials();
}

/** Asks before deleting; resolves true when the admin confirmed. */
export const confirmDelete = (/** @type {string} */ name) =>
  confirmed("delete-dialog", t("deleteText", { name }));
