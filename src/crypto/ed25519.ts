// Ed25519 through WebCrypto. A private key travels as 64 bytes, its 32-byte seed followed by its
// public key (the layout of libsodium and of Standard Webhooks' `whsk_` keys), so that the public
// key is read off the private one without a crypto call.
export const ED25519 = { name: "Ed25519" } as const;

// WebCrypto imports a private key as PKCS#8 only: this DER header, then the 32-byte seed (RFC 8410).
const PKCS8_HEADER = Uint8Array.of(
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
);

const SEED_BYTES = 32;
export const PRIVATE_KEY_BYTES = 64;

/** A fresh key pair: the 64-byte private key (seed ‖ public key); its last 32 bytes are the public key. */
export async function generateEd25519(): Promise<Uint8Array> {
  const pair = (await crypto.subtle.generateKey(ED25519, true, ["sign", "verify"])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const privateKey = new Uint8Array(PRIVATE_KEY_BYTES);
  privateKey.set(pkcs8.subarray(pkcs8.length - SEED_BYTES));
  privateKey.set(raw, SEED_BYTES);
  return privateKey;
}

/** The public half of a 64-byte private key. */
export const ed25519PublicKey = (privateKey: Uint8Array): Uint8Array => privateKey.slice(SEED_BYTES);

/** A signing key for WebCrypto, from a 64-byte private key (its seed). Never extractable. */
export function importEd25519(privateKey: Uint8Array): Promise<CryptoKey> {
  const pkcs8 = new Uint8Array(PKCS8_HEADER.length + SEED_BYTES);
  pkcs8.set(PKCS8_HEADER);
  pkcs8.set(privateKey.subarray(0, SEED_BYTES), PKCS8_HEADER.length);
  return crypto.subtle.importKey("pkcs8", pkcs8, ED25519, false, ["sign"]);
}
