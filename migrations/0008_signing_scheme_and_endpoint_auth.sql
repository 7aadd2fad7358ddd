-- How a webhook signs and how it authenticates to its receiver.
-- Signing: `secret` and `previous_secret` hold the sealed signing key of either scheme, a
-- `whsec_…` HMAC secret or a `whsk_…` Ed25519 private key (the sealed text says which, so a
-- previous key of the other scheme keeps signing through a change of scheme);
-- `signature_scheme` names the scheme of the current key, for answers that open no secret.
-- Every existing webhook keeps its HMAC secret.
-- Endpoint authentication (OAuth2 client credentials): `auth` holds what is no credential
-- (type, token URL, client id, scope) as JSON, so that answers show it without decrypting;
-- `auth_secret` the client secret, AES-GCM sealed like the signing key (src/webhooks/endpoint-auth.ts)
-- and re-sealed by the cron after a key rotation. Both NULL: no endpoint authentication.
ALTER TABLE webhooks ADD COLUMN signature_scheme TEXT NOT NULL DEFAULT 'hmac-sha256'; -- or 'ed25519'
ALTER TABLE webhooks ADD COLUMN auth TEXT;        -- JSON {type, token_url, client_id, scope}; NULL = none
ALTER TABLE webhooks ADD COLUMN auth_secret TEXT; -- sealed client_secret; NULL = none
