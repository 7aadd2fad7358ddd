// Test helpers: tokens, calls through the Worker's own fetch, and factories with overrides.
import { env, exports } from "cloudflare:workers";
import { sign } from "hono/jwt";
import { expect } from "vitest";
import { type NewFailure, recordFailure } from "../src/failed/storage";
import type { LogEntry } from "../src/request-log/schemas";

export interface Caller {
  account: string;
  sub: string;
  token: string;
}

/** The ingest token origin services use in tests: the first of the configured ones. */
export const INGEST_TOKEN = (env.INGEST_TOKEN.split(",")[0] ?? "").trim();

/** Reports changes as an origin service does: POST /v1/changes with the ingest token. */
export const ingest = (json: unknown, token: string = INGEST_TOKEN) =>
  call("POST", "/v1/changes", { token, json });

export const uniqueId = (prefix: string) => `${prefix}_${crypto.randomUUID().slice(0, 8)}`;

export async function adminToken(
  claims: Record<string, unknown> = {},
  secret = env.ADMIN_JWT_SECRET,
): Promise<string> {
  return sign(
    { sub: "u_1", account_id: "acme", exp: Math.floor(Date.now() / 1000) + 3600, ...claims },
    secret,
    "HS256",
  );
}

/** A fresh account with an admin in it: storage is shared by the tests of a file. */
export async function newCaller(claims: Record<string, unknown> = {}): Promise<Caller> {
  const account = uniqueId("acct");
  const sub = uniqueId("user");
  return { account, sub, token: await adminToken({ sub, account_id: account, ...claims }) };
}

export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function call<T = any>(
  method: string,
  path: string,
  options: { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers["content-type"] ??= "application/json";
    body = JSON.stringify(options.json);
  }
  const res = await exports.default.fetch(`https://webhooks.test${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export function webhookInput(overrides: Record<string, unknown> = {}) {
  return { name: "CRM sync", url: "https://hooks.example.com/eventinsight", ...overrides };
}

export async function createWebhook(caller: Caller, overrides: Record<string, unknown> = {}) {
  const res = await call("POST", "/v1/webhooks", { token: caller.token, json: webhookInput(overrides) });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.body as { id: string; secret: string } & Record<string, any>;
}

/** An RFC 9457 problem with this status (the body in the message when it is not). */
export function expectProblem(res: CallResult, status: number) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
}

/** A successful delivery's log entry, as the request log stores it. */
export function logEntry(overrides: Partial<LogEntry> = {}): LogEntry {
  return {
    id: uniqueId("log"),
    message_id: "msg_1",
    created_at: new Date().toISOString(),
    kind: "delivery",
    action_type: "update",
    entity_type: "user",
    entity_id: 1,
    attempt: 1,
    request: { url: "https://hooks.example.com/", method: "POST", headers: {}, body: "{}" },
    response: { status: 200, headers: {}, body: "ok", body_truncated: false },
    error: null,
    duration_ms: 3,
    success: true,
    ...overrides,
  };
}

/** A failed delivery as a webhook's object records it: a user update whose schedule was spent. */
export function failedDelivery(
  webhook: { id: string },
  account: string,
  overrides: Partial<NewFailure> = {},
): NewFailure {
  return {
    webhook_id: webhook.id,
    account_id: account,
    message_id: uniqueId("msg"),
    change_id: uniqueId("chg"),
    seq: 1,
    payload: { entity_id: 1, entity_type: "user", action_type: "update", result: { n: 1 } },
    reason: "exhausted",
    attempts: 10,
    last_status: 503,
    last_error: null,
    last_response: { status: 503, body: "down for maintenance", body_truncated: false },
    first_attempt_at: null,
    failed_at: new Date().toISOString(),
    ...overrides,
  };
}

/** Writes failed deliveries to D1, as the webhook's object does. */
export async function recordFailed(...failures: NewFailure[]): Promise<void> {
  if (failures.length > 0) await env.DB.batch(failures.map((failure) => recordFailure(env.DB, failure)));
}

/** Logs a request on a webhook's object as an admin's test or redelivery is logged. */
export const logRequest = (
  object: { manualDone(lease: number, entry: LogEntry | null): Promise<void> },
  entry: LogEntry,
) => object.manualDone(0, entry);
