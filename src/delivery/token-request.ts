// One OAuth2 token request (RFC 6749 §4.4, client credentials) to a webhook's token endpoint, with
// the rules of a delivery: the URL policy and the DNS check first, no redirect followed, the
// delivery timeout, at most a few KiB of the answer read. What it answers carries no credential:
// a token, or why there is none, worded for the attempt's log (`auth: …`).
import { type Config, configOf } from "../config";
import { toBase64, utf8 } from "../crypto/base64";
import { logError } from "../log";
import { USER_AGENT } from "../version";
import { DNS_TIMEOUT_MS } from "../webhooks/destination";
import { type EndpointAuth, openClientSecret } from "../webhooks/endpoint-auth";
import { secretKeysOf } from "../webhooks/secrets";
import { refusalOf } from "./attempt";
import { describeError, readCapped } from "./send";
import type { TokenSource } from "./tokens";

/** A token is reused until this long before its `expires_in` runs out. */
export const TOKEN_REUSE_MARGIN_S = 60;
/** The lifetime of a token whose answer gives no `expires_in`. */
export const DEFAULT_TOKEN_LIFETIME_S = 3600;
/** How much of the token endpoint's answer is read: tokens (JWTs included) are far smaller. */
export const TOKEN_ANSWER_LIMIT = 64 * 1024;
/** Longer access tokens are refused: they would not fit a request header. */
export const MAX_ACCESS_TOKEN_LENGTH = 8192;

/** A token and how long it lives, or why the request gave none (`auth: …`). */
export type TokenOutcome = { ok: true; token: string; lifetimeS: number } | { ok: false; error: string };

// The error codes of RFC 6749 §5.2: the only part of an error answer the log repeats.
const OAUTH_ERRORS = new Set([
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "invalid_scope",
]);
// A token goes into a header as it is: visible ASCII only (RFC 6750's b64token and any JWT fit).
const HEADER_SAFE = /^[\x21-\x7E]+$/;

const formEncoded = (value: string) => new URLSearchParams({ v: value }).toString().slice("v=".length);

/** RFC 6749 §2.3.1: client id and secret each form-urlencoded, then joined by ":" and sent as HTTP Basic. */
export const basicCredentials = (clientId: string, clientSecret: string) =>
  `Basic ${toBase64(utf8(`${formEncoded(clientId)}:${formEncoded(clientSecret)}`))}`;

/** The token request for these credentials. */
export function tokenRequestOf(auth: EndpointAuth) {
  const body = new URLSearchParams({ grant_type: "client_credentials" });
  if (auth.scope) body.set("scope", auth.scope);
  return {
    url: auth.token_url,
    method: "POST" as const,
    headers: {
      accept: "application/json",
      authorization: basicCredentials(auth.client_id, auth.client_secret),
      "content-type": "application/x-www-form-urlencoded",
      "user-agent": USER_AGENT,
    },
    body: body.toString(),
  };
}

/** What a token endpoint's answer (status and body) gives. Pure. */
export function readTokenAnswer(status: number, body: string): TokenOutcome {
  if (status >= 300 && status < 400) return { ok: false, error: "auth: redirect not followed" };
  const json = parsed(body);
  if (status < 200 || status >= 300) {
    const code = typeof json.error === "string" && OAUTH_ERRORS.has(json.error) ? ` (${json.error})` : "";
    return { ok: false, error: `auth: token endpoint answered ${status}${code}` };
  }
  const token = json.access_token;
  if (typeof token !== "string" || token === "")
    return { ok: false, error: "auth: no access_token in the answer" };
  if (token.length > MAX_ACCESS_TOKEN_LENGTH || !HEADER_SAFE.test(token))
    return { ok: false, error: "auth: the access_token is not usable in a header" };
  if (json.token_type !== undefined && String(json.token_type).toLowerCase() !== "bearer")
    return { ok: false, error: "auth: the token_type is not Bearer" };
  return { ok: true, token, lifetimeS: lifetimeOf(json.expires_in) };
}

function parsed(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** `expires_in` in seconds (some endpoints send it as a string); the default when absent or unusable. */
function lifetimeOf(expiresIn: unknown): number {
  const seconds = typeof expiresIn === "string" && expiresIn.trim() !== "" ? Number(expiresIn) : expiresIn;
  return typeof seconds === "number" && Number.isFinite(seconds) && seconds > 0
    ? seconds
    : DEFAULT_TOKEN_LIFETIME_S;
}

/** How long a token request may take at most: its DNS check and its timeout (and a second for the clocks). */
export const tokenRequestMs = ({ deliveryTimeoutMs }: Pick<Config, "deliveryTimeoutMs">) =>
  Math.min(deliveryTimeoutMs, DNS_TIMEOUT_MS) + deliveryTimeoutMs + 1000;

/** Opens the webhook's client secret (sealed as the caller read it) and requests a token with it. */
export async function requestTokenOf(
  env: Env,
  webhookId: string,
  source: TokenSource,
): Promise<TokenOutcome> {
  let client_secret: string;
  try {
    client_secret = await openClientSecret(source.sealed, webhookId, secretKeysOf(env));
  } catch (error) {
    logError("client secret could not be decrypted; the webhook's token requests fail", error, {
      webhook_id: webhookId,
    });
    return { ok: false, error: "auth: the client secret could not be decrypted" };
  }
  return requestToken(env, { ...source.auth, client_secret });
}

/** Requests a token: checked like a delivery's URL, never redirected, given up at the delivery timeout. */
export async function requestToken(env: Env, auth: EndpointAuth): Promise<TokenOutcome> {
  const config = configOf(env);
  const refusal = await refusalOf(auth.token_url, config);
  if (refusal !== null) return { ok: false, error: `auth: ${refusal}` };
  const { url, ...init } = tokenRequestOf(auth);
  const signal = AbortSignal.timeout(config.deliveryTimeoutMs);
  try {
    const res = await fetch(url, { ...init, redirect: "manual", signal });
    const { text, truncated } = await readCapped(res.body, TOKEN_ANSWER_LIMIT);
    if (truncated && signal.aborted) return { ok: false, error: "auth: timeout" };
    return readTokenAnswer(res.status, text);
  } catch (error) {
    return { ok: false, error: `auth: ${describeError(error)}` };
  }
}
