import type { FieldError } from "../http/field-errors";
import { validationError } from "../http/problem";
import { type CustomHeaders, maskedHeaders, openHeaders, sealHeaders } from "./custom-headers";
import {
  authOf,
  type EndpointAuth,
  type EndpointAuthPatch,
  maskedAuth,
  openEndpointAuth,
  sealClientSecret,
  storedAuth,
} from "./endpoint-auth";
import type { WebhookPatch } from "./schemas";
import type { SecretKeys } from "./secrets";
import { withNewSigningKey } from "./signing-keys";
import type { CredentialsChanged, WebhookRecord } from "./storage";

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");

/** The fields of a PATCH that are no credential (those need the sealed ones opened: patchWebhook). */
type PlainPatch = Omit<WebhookPatch, "headers" | "auth" | "signature_scheme">;

/**
 * A webhook with a PATCH's plain fields applied, and whether that changed anything. Re-activating
 * clears why it was disabled and its failure streak. `updated_at` moves only when something changed.
 */
function applyPatch(
  existing: WebhookRecord,
  patch: PlainPatch,
  now: string,
): { record: WebhookRecord; changed: boolean } {
  const next: WebhookRecord = { ...existing };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.url !== undefined) next.url = patch.url;
  // Triggers and events are sets: the same ones in another order change nothing.
  if (patch.triggers !== undefined && !sameSet(patch.triggers, existing.triggers))
    next.triggers = patch.triggers;
  if (patch.event_ids !== undefined && !sameSet(patch.event_ids, existing.event_ids))
    next.event_ids = patch.event_ids;
  if (patch.is_active !== undefined) next.is_active = patch.is_active;
  if (patch.max_per_second !== undefined) next.max_per_second = patch.max_per_second;
  if (patch.is_active === true && !existing.is_active) {
    next.disabled_reason = null;
    next.failing_since = null;
    next.consecutive_failures = 0;
  }
  const keys = Object.keys(next) as (keyof WebhookRecord)[];
  const changed = keys.some((key) => JSON.stringify(next[key]) !== JSON.stringify(existing[key]));
  if (changed) next.updated_at = now;
  return { record: next, changed };
}

/** The webhook with its whole set of headers replaced ({} removes them all), sealed. */
async function withHeaders(record: WebhookRecord, headers: CustomHeaders, keys: SecretKeys) {
  return {
    ...record,
    headers: maskedHeaders(Object.keys(headers)),
    headers_sealed: await sealHeaders(headers, record.id, keys),
  };
}

/** The webhook with its endpoint credentials replaced (null removes them), the client secret sealed. */
async function withAuth(record: WebhookRecord, auth: EndpointAuth | null, keys: SecretKeys) {
  return {
    ...record,
    auth: maskedAuth(storedAuth(auth)),
    auth_secret_sealed: await sealClientSecret(auth, record.id, keys),
  };
}

const sameHeaders = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(a).every(([name, value]) => b[name] === value);

const sameAuth = (a: EndpointAuth | null, b: EndpointAuth | null) =>
  JSON.stringify(a && authOf(a)) === JSON.stringify(b && authOf(b));

/**
 * The endpoint credentials after a PATCH: null removes them; a client secret left out keeps the
 * stored one, but only for the same token URL and client id (it is never sent anywhere new).
 * Pure: the current credentials (opened) in, the new ones or what is wrong out.
 */
function authAfterPatch(
  current: EndpointAuth | null,
  given: EndpointAuthPatch | null,
): { ok: true; auth: EndpointAuth | null } | { ok: false; error: FieldError } {
  if (given === null) return { ok: true, auth: null };
  const { client_secret, ...fields } = given;
  if (client_secret !== undefined) return { ok: true, auth: authOf({ ...fields, client_secret }) };
  if (current && current.token_url === given.token_url && current.client_id === given.client_id) {
    return { ok: true, auth: authOf({ ...fields, client_secret: current.client_secret }) };
  }
  const message = current
    ? "Required when token_url or client_id changes: the stored client secret is never sent anywhere new"
    : "Required";
  return { ok: false, error: { path: "auth.client_secret", code: "required", message } };
}

/** A custom Authorization header would collide with the one endpoint authentication sends. */
export function authorizationClash(headers: CustomHeaders, auth: object | null): FieldError[] {
  if (!auth) return [];
  return Object.keys(headers)
    .filter((name) => name.toLowerCase() === "authorization")
    .map((name) => ({
      path: `headers.${name}`,
      code: "header_name_reserved" as const,
      message: "Set by the service itself while auth is set: remove this header or the auth",
    }));
}

interface PatchedWebhook {
  record: WebhookRecord;
  /** Whether the PATCH changed anything at all (else there is nothing to save). */
  changedAny: boolean;
  changed: CredentialsChanged;
  /** The credentials in full, for the PATCH answer only. */
  headers: CustomHeaders;
  auth: EndpointAuth | null;
}

/**
 * A webhook with a PATCH applied, credentials included: headers and auth sent as they are change
 * nothing; another signature_scheme creates a key of it, the current key signing beside it for
 * 24 hours. Throws a 400 when the patch is wrong in a way only the stored webhook shows.
 */
export async function patchWebhook(
  existing: WebhookRecord,
  patch: WebhookPatch,
  keys: SecretKeys,
  nowMs: number,
): Promise<PatchedWebhook> {
  const now = new Date(nowMs).toISOString();
  const [currentHeaders, currentAuth] = await Promise.all([
    openHeaders(existing.headers_sealed, existing.id, keys),
    openEndpointAuth(existing, keys),
  ]);
  const wanted = patch.headers === undefined ? currentHeaders : (patch.headers ?? {});
  const authResult =
    patch.auth === undefined
      ? { ok: true as const, auth: currentAuth }
      : authAfterPatch(currentAuth, patch.auth);
  const errors = authResult.ok ? authorizationClash(wanted, authResult.auth) : [authResult.error];
  if (!authResult.ok || errors.length > 0) throw validationError(errors);
  const auth = authResult.auth;
  const changed: CredentialsChanged = {
    headers: !sameHeaders(currentHeaders, wanted),
    auth: !sameAuth(currentAuth, auth),
    signingKey: patch.signature_scheme !== undefined && patch.signature_scheme !== existing.signature_scheme,
  };
  const { headers, auth: _auth, signature_scheme, ...plain } = patch;
  const applied = applyPatch(existing, plain, now);
  let record = applied.record;
  if (changed.headers) record = await withHeaders(record, wanted, keys);
  if (changed.auth) record = await withAuth(record, auth, keys);
  if (signature_scheme !== undefined && changed.signingKey) {
    record = (await withNewSigningKey(record, signature_scheme, keys, nowMs)).record;
  }
  if (changed.headers || changed.auth) record.updated_at = now;
  const changedAny = applied.changed || changed.headers || changed.auth || changed.signingKey;
  return { record, changedAny, changed, headers: wanted, auth };
}
