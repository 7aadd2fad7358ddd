// @ts-check
// The signing secret of a webhook: reveal it (GET /secret), copy it, rotate it (24 h overlap). An
// Ed25519 webhook's card shows its public key instead, in the open as soon as the panel opens.
import { api } from "./api.js";
import { confirmed, setSlot, slot } from "./dom.js";
import { formatTime, t } from "./i18n.js";
import { say } from "./show.js";

/** @typedef {import("./card.js").Action} Action */

/** @param {HTMLElement} card */
const secretInput = (card) => /** @type {HTMLInputElement} */ (slot(card, "secret"));

/** @param {HTMLElement} card */
const isEd25519 = (card) => card.dataset.scheme === "ed25519";

/** @param {HTMLElement} card @param {string} webhookId */
async function loadedSecret(card, webhookId) {
  const input = secretInput(card);
  if (input.dataset.loaded !== "true") {
    const key = await api.secret(webhookId);
    input.value = key.public_key ?? key.secret ?? "";
    input.dataset.loaded = "true";
  }
  return input.value;
}

/**
 * Puts the card in its webhook's scheme (its data-scheme picks the words, see credentials.css);
 * a key loaded for another scheme is forgotten. @param {HTMLElement} card @param {import("./api.js").Webhook} webhook
 */
export function fillSigning(card, webhook) {
  const scheme = webhook.signature_scheme ?? "hmac-sha256";
  if (card.dataset.scheme === scheme) return;
  card.dataset.scheme = scheme;
  const ed25519 = scheme === "ed25519";
  setSlot(card, "secret-heading", t(ed25519 ? "publicKeyHeading" : "secretHeading"));
  setSlot(card, "secret-label", t(ed25519 ? "publicKeyLabel" : "secretLabel"));
  const input = secretInput(card);
  input.value = "";
  input.dataset.loaded = "false";
  input.type = ed25519 ? "text" : "password";
  input.placeholder = ed25519 ? "whpk_…" : "whsec_••••••••••••••••";
  const reveal = card.querySelector('[data-action="reveal"]');
  if (reveal) reveal.textContent = t("reveal");
  const panel = /** @type {HTMLDetailsElement} */ (slot(card, "secret-panel"));
  if (panel.open) loadPublicKey(card, webhook.id).catch(() => undefined);
}

/** An Ed25519 webhook's public key is no secret: it shows as soon as its panel opens. @param {HTMLElement} card @param {string} webhookId */
export async function loadPublicKey(card, webhookId) {
  if (isEd25519(card)) await loadedSecret(card, webhookId);
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
    say(region, t(isEd25519(card) ? "publicKeyCopied" : "copied"), "ok");
  } catch {
    say(region, t(isEd25519(card) ? "publicKeyCopyFailed" : "copyFailed"), "error");
  }
}

/** @type {Action} */
export async function rotateSecret({ card, webhook, region }) {
  if (!(await confirmed("rotate-dialog", t("rotateConfirmText", { name: webhook.name })))) return;
  const rotated = await api.rotateSecret(webhook.id);
  const input = secretInput(card);
  input.value = rotated.public_key ?? rotated.secret ?? "";
  input.dataset.loaded = "true";
  const time = formatTime(rotated.previous_secret_expires_at);
  say(region, t(isEd25519(card) ? "publicKeyRotated" : "rotated", { time }), "ok");
}
