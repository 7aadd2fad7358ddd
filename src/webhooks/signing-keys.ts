// A webhook's signing key, of one of two schemes (Standard Webhooks): `hmac-sha256`, a shared
// `whsec_…` secret (v1 signatures), or `ed25519`, a key pair whose private half `whsk_…` only the
// service holds and whose public half `whpk_…` receivers verify with (v1a signatures). Keys are
// sealed at rest like every credential (./secrets.ts); the sealed text says which scheme it is.

import { fromBase64, toBase64 } from "../crypto/base64";
import { ed25519PublicKey, generateEd25519, PRIVATE_KEY_BYTES } from "../crypto/ed25519";
import type { WebhookRecord } from "./record";
import { decryptSecret, encryptSecret, newSigningSecret, SECRET_PREFIX, type SecretKeys } from "./secrets";

export const SIGNATURE_SCHEMES = ["hmac-sha256", "ed25519"] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];
export const DEFAULT_SIGNATURE_SCHEME: SignatureScheme = "hmac-sha256";

const PRIVATE_KEY_PREFIX = "whsk_";
const PUBLIC_KEY_PREFIX = "whpk_";

/** A key a request is signed with: a `whsec_…` secret (hmac-sha256) or a `whsk_…` private key (ed25519). */
export interface SigningKey {
  scheme: SignatureScheme;
  key: string;
}

/** What an answer may show of a key: the secret of an HMAC key, only the public half of an Ed25519 one. */
export type ShownKey = { secret: string } | { public_key: string };

/** The signing key a sealed text opened to; its prefix names the scheme. */
export function signingKeyOf(key: string): SigningKey {
  if (key.startsWith(PRIVATE_KEY_PREFIX)) return { scheme: "ed25519", key };
  if (key.startsWith(SECRET_PREFIX)) return { scheme: "hmac-sha256", key };
  throw new Error("Unknown signing key encoding");
}

/** The 64 bytes of a `whsk_…` private key (seed ‖ public key). */
export function ed25519Bytes(key: string): Uint8Array {
  const bytes = fromBase64(key.slice(PRIVATE_KEY_PREFIX.length));
  if (bytes.length !== PRIVATE_KEY_BYTES) throw new Error("An Ed25519 signing key has 64 bytes");
  return bytes;
}

export async function newSigningKey(scheme: SignatureScheme): Promise<SigningKey> {
  if (scheme === "hmac-sha256") return { scheme, key: newSigningSecret() };
  return { scheme, key: PRIVATE_KEY_PREFIX + toBase64(await generateEd25519()) };
}

/** `{ secret }` for an HMAC key; `{ public_key: "whpk_…" }` for an Ed25519 one, whose private half is never shown. */
export function shownKey({ scheme, key }: SigningKey): ShownKey {
  if (scheme === "hmac-sha256") return { secret: key };
  return { public_key: PUBLIC_KEY_PREFIX + toBase64(ed25519PublicKey(ed25519Bytes(key))) };
}

/** A webhook's keys that sign now, opened: the current one, and the previous one until its overlap ends. */
export async function openSigningKeys(
  webhook: Pick<
    WebhookRecord,
    "id" | "secret_sealed" | "previous_secret_sealed" | "previous_secret_expires_at"
  >,
  keys: SecretKeys,
  nowMs: number,
): Promise<SigningKey[]> {
  const overlapEnds = webhook.previous_secret_expires_at ? Date.parse(webhook.previous_secret_expires_at) : 0;
  const sealed = [webhook.secret_sealed];
  if (webhook.previous_secret_sealed && overlapEnds > nowMs) sealed.push(webhook.previous_secret_sealed);
  return Promise.all(sealed.map(async (text) => signingKeyOf(await decryptSecret(text, webhook.id, keys))));
}

/** How long the key before a rotation or a change of scheme keeps signing beside the new one. */
const KEY_OVERLAP_MS = 24 * 60 * 60 * 1000;

/**
 * The webhook with a fresh key of `scheme` signing (a rotation, or a change of scheme), its
 * current key signing beside it for KEY_OVERLAP_MS; and the new key as answers may show it.
 */
export async function withNewSigningKey<T extends WebhookRecord>(
  record: T,
  scheme: SignatureScheme,
  keys: SecretKeys,
  nowMs: number,
): Promise<{ record: T; key: ShownKey; overlapEnds: string }> {
  const signingKey = await newSigningKey(scheme);
  const overlapEnds = new Date(nowMs + KEY_OVERLAP_MS).toISOString();
  return {
    record: {
      ...record,
      signature_scheme: scheme,
      secret_sealed: await encryptSecret(signingKey.key, record.id, keys),
      previous_secret_sealed: record.secret_sealed,
      previous_secret_expires_at: overlapEnds,
      updated_at: new Date(nowMs).toISOString(),
    },
    key: shownKey(signingKey),
    overlapEnds,
  };
}
