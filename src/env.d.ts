// Bindings `wrangler types` cannot declare: [secrets] in wrangler.toml lists required secrets
// only, and a rotation's previous secrets are optional (docs/operations.md, "Rotating secrets").
interface Env {
  /** Former SECRET_ENCRYPTION_KEYs, comma-separated, that still decrypt during a key rotation. */
  SECRET_ENCRYPTION_KEY_PREVIOUS?: string;
  /** Former ADMIN_JWT_SECRETs, comma-separated, that still verify admin tokens during a rotation. */
  ADMIN_JWT_SECRET_PREVIOUS?: string;
}

declare namespace Cloudflare {
  interface Env {
    SECRET_ENCRYPTION_KEY_PREVIOUS?: string;
    ADMIN_JWT_SECRET_PREVIOUS?: string;
  }
}
