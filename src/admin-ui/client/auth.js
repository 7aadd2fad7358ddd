// @ts-check
// The admin token: taken from the URL fragment (/admin#token=…, as npm start prints it) or the
// token form, kept in sessionStorage only (gone with the tab), and never left in the address bar.
const KEY = "eventinsight-webhooks.admin-token";

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

/** @returns {string | null} */
export const getToken = () => sessionStorage.getItem(KEY);

/** @param {string} token */
export const setToken = (token) => sessionStorage.setItem(KEY, token.trim());

export const clearToken = () => sessionStorage.removeItem(KEY);
