// @ts-check
// The signing secret of a webhook: reveal it (GET /secret), copy it, rotate it (24 h overlap).
import { api } from "./api.js";
import { confirmed, slot } from "./dom.js";
import { formatTime, t } from "./i18n.js";
import { say } from "./show.js";

/** @typedef {import("./card.js").Action} Action */

/** @param {HTMLElement} card */
const secretInput = (card) => /** @type {HTMLInputElement} */ (slot(card, "secret"));

/** @param {HTMLElement} card @param {string} webhookId */
async function loadedSecret(card, webhookId) {
  const input = secretInput(card);
  if (input.dataset.loaded !== "true") {
    input.value = (await api.secret(webhookId)).secret;
    input.dataset.loaded = "true";
  }
  return input.value;
}

/** @type {Action} */
export async function revealSecret({ card, webhook, button }) {
  const input = secretInput(card);
  if (input.type === "text") {
    input.type = "password";
    button.textContent = t("reveal");
    return;
  }
  await loadedSecret(card, webhook.id);
  input.type = "text";
  button.textContent = t("hide");
}

/** @type {Action} */
export async function copySecret({ card, webhook, region }) {
  const secret = await loadedSecret(card, webhook.id);
  try {
    await navigator.clipboard.writeText(secret);
    say(region, t("copied"), "ok");
  } catch {
    say(region, t("copyFailed"), "error");
  }
}

/** @type {Action} */
export async function rotateSecret({ card, webhook, region }) {
  if (!(await confirmed("rotate-dialog", t("rotateConfirmText", { name: webhook.name })))) return;
  const rotated = await api.rotateSecret(webhook.id);
  const input = secretInput(card);
  input.value = rotated.secret;
  input.dataset.loaded = "true";
  say(region, t("rotated", { time: formatTime(rotated.previous_secret_expires_at) }), "ok");
}
