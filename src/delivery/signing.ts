// Standard Webhooks signatures: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">, keyed
// with the base64-decoded part of the whsec_ secret.
import { fromBase64, toBase64, utf8 } from "../crypto/base64";
import { SECRET_PREFIX } from "../webhooks/secrets";

const keys = new Map<string, Promise<CryptoKey>>();
const MAX_CACHED_KEYS = 1000;

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    const raw = fromBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
    key = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

export async function sign(
  secret: string,
  messageId: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    await hmacKey(secret),
    utf8(`${messageId}.${timestamp}.${body}`),
  );
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/** The webhook-signature header: one signature per secret (the new one first during a rotation). */
export async function signatureHeader(
  secrets: readonly string[],
  messageId: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const signatures = await Promise.all(secrets.map((secret) => sign(secret, messageId, timestamp, body)));
  return signatures.join(" ");
}
