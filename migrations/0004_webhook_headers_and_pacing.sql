-- Per-webhook request headers and pacing. `headers` are extra request headers the receiver
-- needs (e.g. an API key for its gateway): their values are credentials, so the whole set is
-- AES-GCM sealed like the signing secret (src/webhooks/custom-headers.ts) and re-sealed by the
-- cron after a key rotation; their names are kept in the clear so that answers can show them
-- with masked values without decrypting. `max_per_second` caps deliveries started per second.
ALTER TABLE webhooks ADD COLUMN headers TEXT;                          -- sealed JSON object; NULL = none
ALTER TABLE webhooks ADD COLUMN header_names TEXT NOT NULL DEFAULT '[]'; -- JSON array of the names
ALTER TABLE webhooks ADD COLUMN max_per_second INTEGER;               -- NULL = no limit, else 1–1000
