// @ts-check
// The admin page's script: finds the admin token, then shows and manages the account's webhooks
// through the public admin API. Everything it shows in words comes from the server's dictionary.
import { UNAUTHORIZED_EVENT } from "./api.js";
import {
  acceptEmbeddedTokens,
  clearToken,
  embedded,
  getToken,
  setToken,
  takeTokenFromFragment,
} from "./auth.js";
import { wireCards } from "./card.js";
import { loadCatalog } from "./catalog.js";
import { byId } from "./dom.js";
import { openForm, wireForm } from "./form.js";
import { t } from "./i18n.js";
import { loadWebhooks, showWebhook } from "./list.js";
import { clearMessages, say } from "./show.js";

/** Whether the account's webhooks are shown (or loading) for the token the page has. */
let signedIn = false;

/** @param {string} [message] why a token is asked for again */
function askForToken(message) {
  signedIn = false;
  for (const dialog of document.querySelectorAll("dialog")) dialog.close();
  byId("webhooks-panel").hidden = true;
  byId("token-panel").hidden = false;
  const error = byId("token-error");
  error.textContent = message ?? "";
  error.hidden = !message;
  byId("token-input").focus();
}

async function showWebhooks() {
  signedIn = true;
  byId("token-panel").hidden = true;
  byId("webhooks-panel").hidden = false;
  say(byId("status"), t("loading"));
  // The catalog names the cards' events; without it they show their ids.
  await loadCatalog().catch(() => undefined);
  await loadWebhooks();
}

function wireAuth() {
  const tokenForm = /** @type {HTMLFormElement} */ (byId("token-form"));
  tokenForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = /** @type {HTMLInputElement} */ (byId("token-input"));
    if (!input.value.trim()) return input.focus();
    setToken(input.value);
    input.value = "";
    showWebhooks();
  });
  byId("sign-out").addEventListener("click", () => {
    clearToken();
    askForToken();
  });
  document.addEventListener(UNAUTHORIZED_EVENT, () => {
    clearToken();
    // In EventInsight's dashboard the admin has no token to paste: a reload signs in anew.
    askForToken(t(embedded() ? "tokenExpiredEmbedded" : "problem_unauthorized"));
  });
}

/** How long a framed page waits for its token before it asks the admin for one. */
const EMBED_WAIT_MS = 3000;

/**
 * Framed by EventInsight's dashboard: the first token it hands over shows the webhooks (a renewed
 * one only replaces the token); until one comes, the page says it is loading, then asks.
 */
function wireEmbedding() {
  let waiting = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
  acceptEmbeddedTokens(() => {
    clearTimeout(waiting);
    if (!signedIn) showWebhooks();
  });
  if (getToken()) return showWebhooks();
  byId("webhooks-panel").hidden = false;
  say(byId("status"), t("loading"));
  waiting = setTimeout(() => {
    if (!getToken()) askForToken();
  }, EMBED_WAIT_MS);
}

function start() {
  takeTokenFromFragment();
  wireAuth();
  wireCards();
  wireForm((webhook, created) => {
    clearMessages();
    showWebhook(webhook);
    say(byId("status"), t(created ? "created" : "saved", { name: webhook.name }), "ok");
  });
  byId("new-webhook").addEventListener("click", () => openForm());
  if (embedded()) wireEmbedding();
  else if (getToken()) showWebhooks();
  else askForToken();
}

start();
