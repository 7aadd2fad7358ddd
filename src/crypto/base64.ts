// Standard and URL-safe base64 over bytes, and UTF-8 text as bytes, without Node's Buffer.
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

export const toBase64Url = (bytes: Uint8Array) =>
  toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export const utf8 = (text: string) => new TextEncoder().encode(text);

/** The longest prefix of `text` that fits `bytes` in UTF-8, never cutting a character in two. */
export function utf8Prefix(text: string, bytes: number): string {
  const encoded = utf8(text);
  if (encoded.length <= bytes) return text;
  let end = bytes;
  while (end > 0 && ((encoded[end] ?? 0) & 0xc0) === 0x80) end--; // continuation byte: step back
  return new TextDecoder().decode(encoded.subarray(0, end));
}

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(text)));
}
