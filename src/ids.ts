// Identifiers: a prefix naming the kind, then 26 characters that sort by creation time.
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Crockford base32 (no padding): the alphabet of every id here. */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += CROCKFORD[(value << (5 - bits)) & 31];
  return out;
}

/** `prefix_` + 48-bit millisecond time + 80 random bits (ULID layout), lexicographically time-ordered. */
export function newId(prefix: string, now = Date.now()): string {
  const bytes = new Uint8Array(16);
  let time = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  crypto.getRandomValues(bytes.subarray(6));
  return `${prefix}_${base32(bytes).slice(0, 26)}`;
}
