// @ts-check
// The public admin API, called exactly as an external dashboard would: bearer token, JSON bodies,
// RFC 9457 problems turned into ApiError. A 401 tells the page to ask for a new token.
import { getToken } from "./auth.js";

/**
 * @typedef {{ path: string, code: string, message: string, params?: Record<string, unknown> }} FieldError
 * @typedef {{
 *   type?: string, title?: string, status?: number, detail?: string, request_id?: string, errors?: FieldError[]
 * }} Problem
 * @typedef {{ id: string, name: string, starts_at: string | null }} CatalogEvent
 * @typedef {{
 *   id: string, name: string, url: string, is_active: boolean, triggers: string[], event_ids: string[],
 *   created_at: string, updated_at: string, disabled_reason: null | "gone" | "failing",
 *   last_delivery_at: string | null, last_status: number | null, consecutive_failures: number,
 *   failing_since: string | null, failed_deliveries?: number,
 *   headers?: Record<string, string>, max_per_second?: number | null,
 *   signature_scheme?: "hmac-sha256" | "ed25519", auth?: EndpointAuth | null
 * }} Webhook
 * @typedef {{
 *   type: "oauth2_client_credentials", token_url: string, client_id: string, client_secret: string,
 *   scope: string | null
 * }} EndpointAuth
 * @typedef {{ status: number, headers: Record<string, string>, body: string, body_truncated: boolean }} LoggedResponse
 * @typedef {{
 *   id: string, message_id: string, created_at: string, kind: "delivery" | "test" | "redelivery",
 *   action_type: string, entity_type: string, entity_id: string | number, attempt: number,
 *   request: { url: string, method: string, headers: Record<string, string>, body: string },
 *   response: LoggedResponse | null, error: string | null, duration_ms: number, success: boolean
 * }} LogEntry
 * @typedef {{ start: string, delivered: number, failed: number, p50_ms: number | null }} ActivityBucket
 * @typedef {{ window: "24h" | "7d", buckets: ActivityBucket[] }} Activity
 * @typedef {{
 *   id: string, message_id: string, action_type: string, entity_type: string, entity_id: string | number,
 *   reason: "exhausted" | "gone" | "disabled" | "deactivated" | "superseded" | "unprocessable",
 *   attempts: number, payload: Record<string, unknown>, last_status: number | null,
 *   last_error: string | null, last_response: { status: number, body: string, body_truncated: boolean } | null,
 *   failed_at: string, recovery_queued_at: string | null, recovered_at: string | null
 * }} FailedDelivery
 * @typedef {{
 *   message_id: string, entity_type: string, entity_id: string | number, action_type: string,
 *   created_at: string, state: "retry" | "held" | "paced" | "out", attempt: number,
 *   next_attempt_at: string | null, last_status: number | null, last_error: string | null,
 *   held_behind: string | null
 * }} PendingDelivery
 */

export const UNAUTHORIZED_EVENT = "admin-token-refused";

export class ApiError extends Error {
  /**
   * @param {number} status 0 when the service could not be reached
   * @param {Problem} problem
   * @param {number | null} [retryAfter] seconds, from a 429's Retry-After
   */
  constructor(status, problem, retryAfter = null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  /** The problem's code, the last part of its type, e.g. "rate_limited". */
  get code() {
    return this.problem.type?.split("/").pop() ?? "";
  }
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function call(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { authorization: `Bearer ${getToken() ?? ""}`, accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, {});
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.ok) return data;
  if (res.status === 401) document.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
  const retryAfter = Number(res.headers.get("retry-after")) || null;
  throw new ApiError(res.status, data ?? {}, retryAfter);
}

const webhookPath = (/** @type {string} */ id) => `/v1/webhooks/${encodeURIComponent(id)}`;

/** @returns {Promise<Webhook[]>} every webhook of the account, following the cursor */
export async function listWebhooks() {
  /** @type {Webhook[]} */
  const all = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: "100", ...(cursor ? { cursor } : {}) });
    const page = await call("GET", `/v1/webhooks?${query}`);
    all.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return all;
}

/**
 * A page of the account's events catalog, those matching `query` (id or name, any case).
 * @param {{ query?: string, limit?: number, cursor?: string | null }} options
 * @returns {Promise<{ data: CatalogEvent[], next_cursor: string | null }>}
 */
export function searchEvents({ query = "", limit = 20, cursor = null }) {
  const params = new URLSearchParams({ query, limit: String(limit), ...(cursor ? { cursor } : {}) });
  return call("GET", `/v1/events?${params}`);
}

/**
 * Header values and the client secret are credentials: create and PATCH answers show them in
 * full, but the page keeps what every other answer shows, "••••", until the admin asks for them
 * (`api.headers`, `api.auth`).
 * @param {Webhook} webhook
 */
function hideHeaderValues(webhook) {
  const headers = Object.fromEntries(Object.keys(webhook.headers ?? {}).map((name) => [name, "••••"]));
  const auth = webhook.auth ? { ...webhook.auth, client_secret: "••••" } : null;
  return { ...webhook, headers, auth };
}

export const api = {
  /** @param {string} id @returns {Promise<Webhook>} */
  get: (id) => call("GET", webhookPath(id)),
  /** @param {object} input @returns {Promise<Webhook>} */
  create: async (input) => hideHeaderValues(await call("POST", "/v1/webhooks", input)),
  /** @param {string} id @param {object} patch @returns {Promise<Webhook>} */
  update: async (id, patch) => hideHeaderValues(await call("PATCH", webhookPath(id), patch)),
  /** @param {string} id */
  remove: (id) => call("DELETE", webhookPath(id)),
  /** @param {string} id @returns {Promise<{ secret?: string, public_key?: string }>} the secret, or an Ed25519 webhook's public key */
  secret: (id) => call("GET", `${webhookPath(id)}/secret`),
  /** @param {string} id @returns {Promise<Webhook & { secret?: string, public_key?: string, previous_secret_expires_at: string }>} */
  rotateSecret: (id) => call("POST", `${webhookPath(id)}/secret/rotate`),
  /** @param {string} id @returns {Promise<{ auth: EndpointAuth | null }>} the client secret in full */
  auth: (id) => call("GET", `${webhookPath(id)}/auth`),
  /** @param {string} id @returns {Promise<LogEntry>} */
  test: (id) => call("POST", `${webhookPath(id)}/test`),
  /** @param {string} id @returns {Promise<{ data: LogEntry[] }>} */
  logs: (id) => call("GET", `${webhookPath(id)}/logs`),
  /** @param {string} id @param {string} logId @returns {Promise<LogEntry>} */
  redeliver: (id, logId) => call("POST", `${webhookPath(id)}/logs/${encodeURIComponent(logId)}/redeliver`),
  /** @param {string} id @param {string} since @returns {Promise<{ queued: number, superseded: number }>} */
  recover: (id, since) => call("POST", `${webhookPath(id)}/recover`, { since }),
  /** @param {string} id @returns {Promise<{ headers: Record<string, string> }>} the values in full */
  headers: (id) => call("GET", `${webhookPath(id)}/headers`),
  /** @param {string} id @param {"24h" | "7d"} window @returns {Promise<Activity>} */
  stats: (id, window) => call("GET", `${webhookPath(id)}/stats?window=${window}`),
  /** @param {string} id @returns {Promise<{ data: FailedDelivery[], next_cursor: string | null }>} */
  failed: (id) => call("GET", `${webhookPath(id)}/failed?limit=50`),
  /**
   * A page of what waits or is out, oldest first.
   * @param {string} id @param {number} limit @param {string | null} cursor
   * @returns {Promise<{ data: PendingDelivery[], next_cursor: string | null }>}
   */
  pending: (id, limit, cursor) => {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
    return call("GET", `${webhookPath(id)}/pending?${query}`);
  },
  /** @param {string} id @returns {Promise<{ due: number }>} how many waiting for a retry go now */
  retryPending: (id) => call("POST", `${webhookPath(id)}/pending/retry`),
  /** @param {string} id @param {string} failedId @returns {Promise<LogEntry>} */
  redeliverFailed: (id, failedId) =>
    call("POST", `${webhookPath(id)}/failed/${encodeURIComponent(failedId)}/redeliver`),
};
