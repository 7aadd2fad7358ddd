// Standard Webhooks signatures over "{id}.{timestamp}.{body}": v1,<base64 HMAC-SHA256> keyed with
// the base64-decoded part of a whsec_ secret, or v1a,<base64 Ed25519 signature> made with a whsk_
// private key (receivers verify it with the webhook's whpk_ public key).
import { fromBase64, toBase64, utf8 } from "../crypto/base64";
import { ED25519, importEd25519 } from "../crypto/ed25519";
import { SECRET_PREFIX } from "../webhooks/secrets";
import { ed25519Bytes, type SigningKey } from "../webhooks/signing-keys";

const keys = new Map<string, Promise<CryptoKey>>();
const MAX_CACHED_KEYS = 1000;

function importHmac(secret: string): Promise<CryptoKey> {
  const raw = fromBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/** The imported key, kept per isolate: importing costs more than signing. */
function cryptoKey({ scheme, key }: SigningKey): Promise<CryptoKey> {
  let imported = keys.get(key);
  if (!imported) {
    imported = scheme === "ed25519" ? importEd25519(ed25519Bytes(key)) : importHmac(key);
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    keys.set(key, imported);
  }
  return imported;
}

const ALGORITHMS = { "hmac-sha256": { name: "HMAC" }, ed25519: ED25519 } as const;
const VERSIONS = { "hmac-sha256": "v1", ed25519: "v1a" } as const;

export async function sign(
  signingKey: SigningKey,
  messageId: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const signature = await crypto.subtle.sign(
    ALGORITHMS[signingKey.scheme],
    await cryptoKey(signingKey),
    utf8(`${messageId}.${timestamp}.${body}`),
  );
  return `${VERSIONS[signingKey.scheme]},${toBase64(new Uint8Array(signature))}`;
}

/** The webhook-signature header: one signature per key, space-separated (the new one first during an overlap). */
export async function signatureHeader(
  signingKeys: readonly SigningKey[],
  messageId: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const signatures = await Promise.all(signingKeys.map((key) => sign(key, messageId, timestamp, body)));
  return signatures.join(" ");
}
