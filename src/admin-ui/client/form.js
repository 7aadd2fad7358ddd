// @ts-check
// The "New webhook" / "Edit webhook" dialog and the delete confirmation. The API validates; its
// problem's `errors[].path` names the field ("url", "triggers", "event_ids.1") the message goes to.
import { ApiError, api } from "./api.js";
import { byId } from "./dom.js";
import { errorText, fieldErrorText } from "./errors.js";
import { chosenEvents, eventLabel, resetPicker, wirePicker } from "./event-picker.js";
import { t } from "./i18n.js";
import { clearMessages } from "./show.js";

/** @typedef {import("./api.js").Webhook} Webhook */

const FIELDS = ["name", "is_active", "url", "triggers", "event_ids"];
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
    for (const box of form.querySelectorAll('input[name="triggers"]')) {
      const checkbox = /** @type {HTMLInputElement} */ (box);
      checkbox.checked = webhook.triggers.includes(checkbox.value);
    }
  }
  resetPicker(webhook?.event_ids ?? []);
  dialog.showModal();
}

function readForm() {
  const data = new FormData(form);
  return {
    name: String(data.get("name") ?? ""),
    url: String(data.get("url") ?? "").trim(),
    is_active: data.get("is_active") === "true",
    triggers: data.getAll("triggers").map(String),
    event_ids: chosenEvents(),
  };
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

/** Each field error next to its field, then a summary on top; focus goes to the first bad field. */
function showProblem(/** @type {unknown} */ error, /** @type {string[]} */ sentEvents) {
  const errors = (error instanceof ApiError && error.problem.errors) || [];
  if (errors.length === 0) return showError("_form", errorText(error));
  for (const fieldError of errors) {
    const [field = "", index] = fieldError.path.split(".");
    const known = FIELDS.includes(field);
    const text = fieldErrorText(fieldError);
    if (field === "event_ids" && index !== undefined) {
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
  /** @type {HTMLElement | null} */ (form.querySelector('[aria-invalid="true"]'))?.focus();
}

/** @param {(webhook: Webhook, created: boolean) => void} onSaved */
export function wireForm(onSaved) {
  const submit = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (submit.getAttribute("aria-disabled") === "true") return;
    clearErrors();
    submit.setAttribute("aria-disabled", "true");
    const input = readForm();
    try {
      const saved = editing ? await api.update(editing.id, input) : await api.create(input);
      dialog.close();
      onSaved(saved, !editing);
    } catch (error) {
      showProblem(error, input.event_ids);
    } finally {
      submit.removeAttribute("aria-disabled");
    }
  });
  form.querySelector('[data-action="close-dialog"]')?.addEventListener("click", () => dialog.close());
  wirePicker();
}

/** Asks before deleting; resolves true when the admin confirmed. @param {string} name */
export function confirmDelete(name) {
  const confirm = /** @type {HTMLDialogElement} */ (byId("delete-dialog"));
  byId("delete-text").textContent = t("deleteText", { name });
  confirm.returnValue = "";
  confirm.showModal();
  return new Promise((resolve) => {
    confirm.addEventListener("close", () => resolve(confirm.returnValue === "delete"), { once: true });
  });
}
