// @ts-check
// The webhook form's Signing scheme and Authentication. A saved client secret arrives hidden
// ("••••", as the API shows it): it is kept unless the admin types a new one, and "Reveal"
// fetches it (GET /v1/webhooks/{id}/auth). The API keeps a stored client secret only while the
// token URL and client ID stay the same; otherwise its error asks for the secret again.
import { api } from "./api.js";
import { byId } from "./dom.js";
import { errorText } from "./errors.js";
import { t } from "./i18n.js";

/** @typedef {import("./api.js").Webhook} Webhook */

const form = /** @type {HTMLFormElement} */ (byId("webhook-form"));
const oauthFields = byId("wf-auth-oauth");
const revealButton = byId("wf-auth-reveal");
const OAUTH = "oauth2_client_credentials";

/** @type {string | null} the webhook whose saved credentials the form shows */
let webhookId = null;
/** Whether the webhook has a client secret stored (shown hidden until revealed). */
let saved = false;
/** @type {string | null} the saved client secret, once revealed */
let revealed = null;

/** @param {"signature_scheme" | "auth_type"} name */
const choice = (name) => /** @type {RadioNodeList} */ (form.elements.namedItem(name));
/** @param {"token_url" | "client_id" | "client_secret" | "scope"} field */
const input = (field) => /** @type {HTMLInputElement} */ (byId(`wf-auth.${field}`));

const showFields = () => {
  oauthFields.hidden = choice("auth_type").value !== OAUTH;
};

function hideSecret() {
  revealed = null;
  input("client_secret").value = "";
  input("client_secret").placeholder = saved ? t("headerValueHidden") : "";
  revealButton.textContent = t("reveal");
}

/** Starts both fields over with the webhook's scheme and credentials (a new one: HMAC, none). @param {Webhook} [webhook] */
export function resetCredentials(webhook) {
  webhookId = webhook?.id ?? null;
  const auth = webhook?.auth ?? null;
  choice("signature_scheme").value = webhook?.signature_scheme ?? "hmac-sha256";
  choice("auth_type").value = auth?.type ?? "none";
  input("token_url").value = auth?.token_url ?? "";
  input("client_id").value = auth?.client_id ?? "";
  input("scope").value = auth?.scope ?? "";
  saved = auth !== null;
  revealButton.hidden = !saved;
  hideSecret();
  showFields();
}

/**
 * The scheme and the credentials as the form says. A saved client secret left empty is left out,
 * so that the API keeps it; a scope left empty means none.
 */
export function readCredentials() {
  const signature_scheme = choice("signature_scheme").value;
  if (choice("auth_type").value !== OAUTH) return { signature_scheme, auth: null };
  const secret = input("client_secret").value;
  const scope = input("scope").value.trim();
  const auth = {
    type: OAUTH,
    token_url: input("token_url").value.trim(),
    client_id: input("client_id").value.trim(),
    ...(secret !== "" || !saved ? { client_secret: secret } : {}),
    ...(scope ? { scope } : {}),
  };
  return { signature_scheme, auth };
}

/** Shows the saved client secret, or hides it again if unchanged. */
async function toggleReveal() {
  if (revealed !== null) {
    if (input("client_secret").value === revealed) hideSecret();
    return;
  }
  const { auth } = webhookId ? await api.auth(webhookId) : { auth: null };
  revealed = auth?.client_secret ?? "";
  input("client_secret").value = revealed;
  revealButton.textContent = t("hide");
}

export function wireCredentials() {
  for (const radio of choice("auth_type")) radio.addEventListener("change", showFields);
  revealButton.addEventListener("click", () =>
    toggleReveal().catch((error) => {
      const element = byId("wf-auth.client_secret-error");
      element.textContent = errorText(error);
      element.hidden = false;
    }),
  );
}
