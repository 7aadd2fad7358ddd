// Bindings `wrangler types` cannot declare: [secrets] in wrangler.toml lists required secrets
// only, and a key rotation's previous key is optional (see "Rotating the encryption key").
interface Env {
  /** Former SECRET_ENCRYPTION_KEYs, comma-separated, that still decrypt during a key rotation. */
  SECRET_ENCRYPTION_KEY_PREVIOUS?: string;
}

declare namespace Cloudflare {
  interface Env {
    SECRET_ENCRYPTION_KEY_PREVIOUS?: string;
  }
}
