// @ts-check
// The admin token: taken from the URL fragment (/admin#token=…), the token form, or the page that
// frames this one (EventInsight's dashboard, by postMessage); kept in sessionStorage only (gone
// with the tab), and never left in the address bar.
const KEY = "eventinsight-webhooks.admin-token";

/** The message an embedding page sends: `{ type: TOKEN_MESSAGE, token }`. */
export const TOKEN_MESSAGE = "eventinsight-webhooks:token";

/** @type {string[]} ADMIN_EMBED_ORIGINS, as the server rendered it into the page */
const embedOrigins = JSON.parse(document.getElementById("embed-origins")?.textContent || "[]");

/** Whether a page of a listed origin frames this one, and so may hand it a token. */
export const embedded = () => window.parent !== window && embedOrigins.length > 0;

/**
 * Calls `onToken` with each token the framing page hands over: only from the parent window, only
 * when its origin is one of ADMIN_EMBED_ORIGINS; anything else is ignored. A later message (a
 * renewed token) replaces the token.
 * @param {(token: string) => void} onToken
 */
export function acceptEmbeddedTokens(onToken) {
  window.addEventListener("message", (event) => {
    if (event.source !== window.parent || !embedOrigins.includes(event.origin)) return;
    const data = event.data;
    if (data?.type !== TOKEN_MESSAGE || typeof data.token !== "string" || !data.token.trim()) return;
    setToken(data.token);
    onToken(data.token);
  });
}

/** Moves a `#token=…` out of the address bar into this tab's session storage. */
export function takeTokenFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get("token");
  if (!token) return;
  setToken(token);
  params.delete("token");
  const rest = params.toString();
  history.replaceState(history.state, "", `${location.pathname}${location.search}${rest ? `#${rest}` : ""}`);
}

/**
 * This tab's session storage, or, where the browser denies it (a framed page whose browser blocks
 * third-party storage), the page's memory: a framed page gets its token again after a reload.
 */
const store = (() => {
  try {
    return sessionStorage;
  } catch {
    /** @type {Map<string, string>} */
    const memory = new Map();
    return {
      getItem: (/** @type {string} */ key) => memory.get(key) ?? null,
      setItem: (/** @type {string} */ key, /** @type {string} */ value) => void memory.set(key, value),
      removeItem: (/** @type {string} */ key) => void memory.delete(key),
    };
  }
})();

/** @returns {string | null} */
export const getToken = () => store.getItem(KEY);

/** @param {string} token */
export const setToken = (token) => store.setItem(KEY, token.trim());

export const clearToken = () => store.removeItem(KEY);
