// Webhook signing secrets: `whsec_` + base64 of 32 random bytes (Standard Webhooks), stored
// encrypted with AES-GCM under SECRET_ENCRYPTION_KEY so that a D1 row alone reveals nothing.
import { fromBase64, sha256, toBase64, toBase64Url, utf8 } from "../crypto/base64";

export const SECRET_PREFIX = "whsec_";

export function newSigningSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

/** The encryption keys in use: the current one encrypts, every one of them decrypts. */
export interface SecretKeys {
  current: string;
  previous: string[];
}

export function secretKeysOf(env: {
  SECRET_ENCRYPTION_KEY: string;
  SECRET_ENCRYPTION_KEY_PREVIOUS?: string;
}): SecretKeys {
  const previous = (env.SECRET_ENCRYPTION_KEY_PREVIOUS ?? "")
    .split(",")
    .map((key) => key.trim())
    .filter(Boolean);
  return { current: env.SECRET_ENCRYPTION_KEY, previous };
}

interface DerivedKey {
  kid: string;
  key: CryptoKey;
}

const derived = new Map<string, Promise<DerivedKey>>();

// Any string works as a key (generate one with `openssl rand -base64 32`); the AES key is its
// SHA-256, and its key id a short hash of that, stored with every ciphertext.
function derive(material: string): Promise<DerivedKey> {
  let entry = derived.get(material);
  if (!entry) {
    entry = (async () => {
      const raw = await sha256(material);
      const kid = toBase64Url((await sha256(`kid:${material}`)).subarray(0, 6));
      const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
      return { kid, key };
    })();
    derived.set(material, entry);
  }
  return entry;
}

/** Encrypts a secret bound to its webhook id (a ciphertext copied to another row does not decrypt). */
export async function encryptSecret(secret: string, webhookId: string, keys: SecretKeys): Promise<string> {
  if (!keys.current) throw new Error("SECRET_ENCRYPTION_KEY is not set");
  const { kid, key } = await derive(keys.current);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: utf8(webhookId) },
    key,
    utf8(secret),
  );
  return `v1.${kid}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

export async function decryptSecret(stored: string, webhookId: string, keys: SecretKeys): Promise<string> {
  const [version, kid, iv, sealed] = stored.split(".");
  if (version !== "v1" || !kid || !iv || !sealed) throw new Error("Unknown secret encoding");
  for (const material of [keys.current, ...keys.previous]) {
    const candidate = await derive(material);
    if (candidate.kid !== kid) continue;
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(iv), additionalData: utf8(webhookId) },
      candidate.key,
      fromBase64(sealed),
    );
    return new TextDecoder().decode(plain);
  }
  throw new Error(`No SECRET_ENCRYPTION_KEY with key id ${kid} is configured`);
}

/** Re-encrypts a sealed value under the current key (the cron's key rotation), bound to the same `boundTo`. */
export async function resealSecret(stored: string, boundTo: string, keys: SecretKeys): Promise<string> {
  return encryptSecret(await decryptSecret(stored, boundTo, keys), boundTo, keys);
}

/** How every secret sealed with the current key begins: `v1.<key id>.` */
export async function currentSealPrefix(keys: SecretKeys): Promise<string> {
  return `v1.${(await derive(keys.current)).kid}.`;
}

/** Whether a stored secret is sealed with the current key (the rest are re-encrypted by the cron). */
export async function isSealedWithCurrentKey(stored: string, keys: SecretKeys): Promise<boolean> {
  return stored.startsWith(await currentSealPrefix(keys));
}
